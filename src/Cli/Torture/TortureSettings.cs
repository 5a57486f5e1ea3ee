namespace Nscr.Cli.Torture;

/// <summary>What one torture run does. <paramref name="Url"/> ends with '/'.</summary>
public sealed record TortureSettings(
    Uri Url,
    TimeSpan Duration,
    int Workers,
    int Seed,
    string? DataDir,
    bool RunGc = true)
{
    /// <summary>Each worker owns this many repositories: nobody else moves or deletes their tags.</summary>
    public int RepositoriesPerWorker { get; init; } = 2;

    /// <summary>Above this many tags a worker deletes before it pushes again (keeps verification sweeps short).</summary>
    public int MaxTagsPerWorker { get; init; } = 12;

    /// <summary>A push refused by legal GC races this many times in a row counts as a failure (starved).</summary>
    public int MaxPushAttempts { get; init; } = 100;

    /// <summary>How long the final cleanup may wait for repository deletion to show.</summary>
    public TimeSpan CleanupDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Basic credentials sent with every request (null: none).</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan GcRequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);
}
