using System.Globalization;
using System.Text.Json;
using Nscr.Cli.Admin;
using Nscr.Cli.CommandLine;
using Nscr.Cli.Output;

namespace Nscr.Cli.Feeds;

/// <summary>Where a live feed is read: its JSON list (items under <see cref="ItemsName"/>, then <c>lastId</c>) and its stream.</summary>
public sealed record FeedSource(string ListPath, string ItemsName, string StreamPath, string NothingText);

/// <summary>
/// What <c>nscr logs</c> and <c>nscr events</c> share: print the recent items of a feed, then with <c>--follow</c> the new
/// ones as the stream brings them, resuming after the list's <c>lastId</c> so nothing is missed or printed twice.
/// <c>--json</c> prints each item as the API gave it, one per line (NDJSON); otherwise <c>format</c>'s text.
/// </summary>
public static class FeedPrinter
{
    public static async Task<int> RunAsync(
        CliHost host, AdminApi api, FeedSource source, bool json, bool follow, Func<JsonElement, string> format, CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync(source.ListPath, cancellationToken);
        var items = answer.Root.Items(source.ItemsName).ToArray();
        foreach (var item in items) await WriteAsync(host, json, item, format);
        if (!follow)
        {
            if (items.Length == 0) await host.Error.WriteLineAsync(source.NothingText);
            return ExitCodes.Ok;
        }
        await host.Out.FlushAsync(cancellationToken);
        var lastId = answer.Root.Get("lastId") is { ValueKind: JsonValueKind.Number } id ? id.GetInt64().ToString(CultureInfo.InvariantCulture) : null;
        using var follower = new EventStreamFollower(api, source.StreamPath, lastId, host.Error);
        while (true)
        {
            var message = await follower.NextAsync(cancellationToken);
            JsonElement item;
            try
            {
                using var document = JsonDocument.Parse(message.Data);
                item = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue; // Not an item of this feed (nothing else is sent today); skipping it keeps the output parseable.
            }
            await WriteAsync(host, json, item, format);
            await host.Out.FlushAsync(cancellationToken);
        }
    }

    private static Task WriteAsync(CliHost host, bool json, JsonElement item, Func<JsonElement, string> format) =>
        host.Out.WriteLineAsync(json ? OneLine(item) : format(item));

    /// <summary>The item's JSON as the API wrote it (compact), re-serialised only if it spans lines, so NDJSON holds.</summary>
    private static string OneLine(JsonElement item)
    {
        var raw = item.GetRawText();
        return raw.Contains('\n') ? JsonSerializer.Serialize(item) : raw;
    }

    /// <summary>Query parameters, skipping empty ones: <c>path?a=1&amp;b=x</c>.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToArray();
        return given.Length == 0 ? path : $"{path}?{string.Join('&', given)}";
    }

    /// <summary>A feed item's time to the millisecond, UTC: "2026-01-02 10:00:00.123Z".</summary>
    public static string Time(JsonElement item) =>
        item.Get("time") is { ValueKind: JsonValueKind.String } time && time.TryGetDateTimeOffset(out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : "-";
}
