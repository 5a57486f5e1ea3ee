using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Nscr.Metadata;

/// <summary>
/// Test-only fault injection for the crash tests (tests/EndToEnd.Tests/Durability): SIGKILLs the process at the N-th
/// crash point of the row transactions. The crash points are, in order, each statement executed inside a write
/// transaction (the kill comes right after it returns; after the last one is "before commit") and its commit (the
/// kill comes after the commit, before the grain answers).
/// <para>
/// Enabled only when the process starts with <see cref="ArmFileVariable"/> naming a file; then armed, once, by writing
/// that file: its first line is N, an optional second line <c>ignore=Kind,Kind</c> names transactions (by the
/// <see cref="MetadataDatabase"/> caller, e.g. <c>RecordPullsAsync</c>) not to count. The next write transaction that
/// begins reads and deletes the file. Arming in a running process lets a test kill a write with the registry's state
/// built beforehand, without a start per crash point.
/// </para>
/// <para>
/// The variable deliberately lacks the <c>NSCR_</c> prefix: NSCR_* names are the server's settings (documented,
/// validated, listed by the settings catalog), and this is no setting: nobody configuring nscr sets a NSCRTEST_
/// name by accident, and it needs a file written on top. Without it, every check here is a test of a static
/// readonly null, which the JIT folds away.
/// </para>
/// </summary>
internal static class CrashPoints
{
    public const string ArmFileVariable = "NSCRTEST_CRASH_ARM_FILE";

    private static readonly string? ArmFile = Environment.GetEnvironmentVariable(ArmFileVariable) is { Length: > 0 } file ? file : null;
    // The kind of each open write transaction; weak, so a transaction that was never committed is not kept.
    private static readonly ConditionalWeakTable<DbTransaction, string> Kinds = [];
    private static readonly Lock Gate = new();
    // Crash points to pass until the kill; 0: not armed.
    private static int remaining;
    private static HashSet<string> ignored = [];

    /// <summary>A write transaction of <paramref name="kind"/> began (arms the hook when the arm file is there).</summary>
    public static void Began(DbTransaction transaction, string kind)
    {
        if (ArmFile is null) return;
        lock (Gate)
        {
            Kinds.AddOrUpdate(transaction, kind);
            if (!File.Exists(ArmFile)) return;
            var lines = File.ReadAllLines(ArmFile);
            File.Delete(ArmFile);
            remaining = int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture);
            ignored = lines.Skip(1).Where(l => l.StartsWith("ignore=", StringComparison.Ordinal))
                .SelectMany(l => l["ignore=".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .ToHashSet(StringComparer.Ordinal);
            Report(remaining > 0 ? $"armed: SIGKILL at crash point {remaining} (not counting {string.Join(',', ignored)})" : "armed: nothing (disarmed)");
        }
    }

    /// <summary>A statement of <paramref name="transaction"/> (null outside a write transaction) returned.</summary>
    public static void AfterStatement(DbTransaction? transaction, string text)
    {
        if (ArmFile is null || transaction is null) return;
        // One line per point (the tests read the log by lines): a statement written over several lines is joined.
        Pass(transaction, $"after statement: {string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}");
    }

    public static void AfterCommit(DbTransaction transaction)
    {
        if (ArmFile is null) return;
        Pass(transaction, "after commit");
    }

    private static void Pass(DbTransaction transaction, string point)
    {
        lock (Gate)
        {
            if (remaining <= 0 || !Kinds.TryGetValue(transaction, out var kind) || ignored.Contains(kind)) return;
            remaining--;
            Report($"{kind} {point}{(remaining == 0 ? " — SIGKILL" : "")}");
            // Process.Kill sends SIGKILL on Unix: no finally block, no flush, no shutdown runs after this.
            if (remaining == 0) Process.GetCurrentProcess().Kill();
        }
    }

    // Straight to stderr, not through the logger: its console output is queued and a SIGKILL would drop the line.
    private static void Report(string message)
    {
        Console.Error.WriteLine($"{ArmFileVariable}: {message}");
        Console.Error.Flush();
    }
}
