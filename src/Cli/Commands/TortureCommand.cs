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

    public static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "Registry base URL, e.g. http://127.0.0.1:7000 (the server must run with NSCR_GC_GRACE=00:00:00 and no retention rules)",
            Required = true,
            CustomParser = result => ParseUrl(result),
        };
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
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var noGc = new Option<bool>("--no-gc")
        {
            Description = "Run without the GC loop, the repository deletion and the final cycle (for a registry without /api/gc)",
        };

        var command = new Command("torture", "Stress a registry with concurrent pushes, pulls, deletes and re-tags while GC runs continuously")
        {
            url, duration, workers, seed, dataDir, json, noGc,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new TortureSettings(
                parse.GetRequiredValue(url),
                parse.GetValue(duration),
                parse.GetValue(workers),
                parse.GetValue(seed) ?? Random.Shared.Next(),
                parse.GetValue(dataDir)?.FullName,
                RunGc: !parse.GetValue(noGc));
            var output = parse.InvocationConfiguration.Output;
            var progress = parse.InvocationConfiguration.Error;
            var summary = await TortureRun.RunAsync(settings, progress, cancellationToken);
            if (parse.GetValue(json)) SummaryWriter.WriteJson(summary, output);
            else SummaryWriter.WriteText(summary, output);
            return summary.Interrupted ? InterruptedExitCode : summary.Passed ? 0 : 1;
        });
        return command;
    }

    private static Uri ParseUrl(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            // A trailing slash makes relative paths ("v2/...") resolve under any path prefix of the URL.
            return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        }
        result.AddError($"'{text}' is not an http(s) URL");
        return new Uri("http://invalid/");
    }
}
