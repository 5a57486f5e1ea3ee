namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// The registry's crash hook (src/Metadata/CrashPoints.cs) from the test's side: started with
/// <see cref="Variable"/>, the registry SIGKILLs itself at the N-th crash point of its row transactions (after each
/// statement, after each commit) once the arm file says N. The file is read, and removed, by the next write
/// transaction that begins, so arming it before a request arms it for that request.
/// </summary>
internal sealed class CrashHook(string armFile)
{
    public const string Variable = "NSCRTEST_CRASH_ARM_FILE";

    /// <summary>What the hook writes to stderr at the point it kills.</summary>
    public const string KillMark = "— SIGKILL";

    // Pull times and blob touches: written at most once a minute or when a grain deactivates, whenever that falls, and
    // never by the write under test; counting them would move the points.
    private const string Ignored = "ignore=RecordPullsAsync,TouchAsync,TouchAllAsync";

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { [Variable] = armFile };

    public void Arm(int point)
    {
        // A background transaction may begin while this is written: it must never read half a file.
        var staged = armFile + ".new";
        File.WriteAllText(staged, $"{point}\n{Ignored}\n");
        File.Move(staged, armFile, overwrite: true);
    }

    public void Disarm() => Arm(0);

    /// <summary>
    /// The crash points the registry's last run reports it passed, the last one where it was killed (each run's lines
    /// follow the "start #n" line <see cref="Infrastructure.RegistryProcess"/> notes when it launches it).
    /// </summary>
    public static IReadOnlyList<string> PointsOfLastRun(string log)
    {
        var lines = log.Split('\n');
        var start = Array.FindLastIndex(lines, l => l.Contains("[test] start #", StringComparison.Ordinal));
        return lines.Skip(start + 1)
            .Select(l => l.IndexOf(Variable + ": ", StringComparison.Ordinal) is var at and >= 0 ? l[(at + Variable.Length + 2)..].TrimEnd('\r') : null)
            .OfType<string>()
            .Where(p => !p.StartsWith("armed", StringComparison.Ordinal))
            .ToList();
    }
}
