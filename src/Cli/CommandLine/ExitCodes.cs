namespace Nscr.Cli.CommandLine;

/// <summary>What <c>nscr</c> exits with; scripts rely on these (documented in the README's "Command line" section).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The operation failed, or found problems (fsck: corrupt or missing blobs; a failed GC cycle).</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or options, a refused confirmation, or a request the server called invalid (400).</summary>
    public const int Usage = 2;

    /// <summary>The repository, tag or manifest does not exist (404).</summary>
    public const int NotFound = 3;

    /// <summary>The server refused the credentials (401) or the user's rights (403).</summary>
    public const int AuthFailed = 4;

    /// <summary>No answer: connection refused, unknown host, TLS failure, timeout.</summary>
    public const int Unreachable = 5;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Interrupted = 130;
}

/// <summary>A failure that ends the command with <see cref="ExitCode"/> and <see cref="Exception.Message"/> on stderr.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
