using System.CommandLine;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Torture;
using Nscr.Cli.Torture.Report;

namespace Nscr.Cli.Commands;

/// <summary><c>nscr torture</c>: concurrent pushes, pulls, deletes and re-tags against a registry while its
/// garbage collector runs without pause; fails on any lost or corrupt tagged image, any 5xx, any byte left behind.</summary>
public static class TortureCommand
{
    public const int InterruptedExitCode = 130;

    /// <summary>
    /// The registry comes from the shared <c>--url</c>/<c>NSCR_URL</c>/stored login (and its credentials, sent as Basic),
    /// like every other command; <c>--json</c> prints the summary as JSON. The server must run with NSCR_GC_GRACE=00:00:00
    /// and no retention rules.
    /// </summary>
    public static Command Create(CliHost host, ConnectionOptions connection)
    {
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = "How long the workers run (45s, 10m, 1h)",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(10),
            CustomParser = Durations.Parse,
        };
        var workers = new Option<int>("--workers")
        {
            Description = "Concurrent workers, each with its own repositories",
            DefaultValueFactory = _ => 8,
        };
        workers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 256) result.AddError("--workers must be between 1 and 256");
        });
        var seed = new Option<int?>("--seed") { Description = "Seed of the random content and operations (default: random, printed)" };
        var dataDir = new Option<DirectoryInfo?>("--data-dir")
        {
            Description = "The registry's data dir: at the end, blobs/ and uploads/ must hold no file",
        };
        var noGc = new Option<bool>("--no-gc")
        {
            Description = "Run without the GC loop, the repository deletion and the final cycle (for a registry without /api/gc)",
        };

        var command = new Command("torture", "Stress a registry with concurrent pushes, pulls, deletes and re-tags while GC runs continuously")
        {
            duration, workers, seed, dataDir, noGc,
        };
        CliAction.Set(command, host, async (parse, cancellationToken) =>
        {
            var target = connection.Resolve(parse, host);
            var settings = new TortureSettings(
                target.Url,
                parse.GetValue(duration),
                parse.GetValue(workers),
                parse.GetValue(seed) ?? Random.Shared.Next(),
                parse.GetValue(dataDir)?.FullName,
                RunGc: !parse.GetValue(noGc))
            {
                Username = target.Username,
                Password = target.Password,
            };
            var output = parse.InvocationConfiguration.Output;
            var progress = parse.InvocationConfiguration.Error;
            var summary = await TortureRun.RunAsync(settings, progress, cancellationToken);
            if (parse.GetValue(connection.Json)) SummaryWriter.WriteJson(summary, output);
            else SummaryWriter.WriteText(summary, output);
            return summary.Interrupted ? InterruptedExitCode : summary.Passed ? 0 : 1;
        });
        return command;
    }
}
