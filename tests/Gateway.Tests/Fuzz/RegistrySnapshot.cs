using System.Security.Cryptography;
using System.Text.Json;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Fuzz;

/// <summary>What a registry holds: every file under blobs/ with its sha256, and every repository's tags (through the
/// API). uploads/ is left out: abandoned sessions there are expected and collected by the GC.</summary>
public static class RegistrySnapshot
{
    public static async Task<SortedDictionary<string, string>> TakeAsync(string dataDir, RegistryClient client)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var blobs = Path.Combine(dataDir, "blobs");
        foreach (var file in Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories))
        {
            await using var stream = File.OpenRead(file);
            snapshot["file " + Path.GetRelativePath(blobs, file)] = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
        }
        using var catalog = JsonDocument.Parse(await client.Http.GetStringAsync("/v2/_catalog"));
        foreach (var repository in catalog.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!))
        {
            using var tags = JsonDocument.Parse(await client.Http.GetStringAsync($"/v2/{repository}/tags/list"));
            var list = tags.RootElement.GetProperty("tags");
            var names = list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Select(t => t.GetString()) : [];
            snapshot["tags " + repository] = string.Join(",", names);
        }
        return snapshot;
    }

    public static string Difference(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join('\n', before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || a != b)
            .Select(k => $"{k}: {before.GetValueOrDefault(k) ?? "(none)"} → {after.GetValueOrDefault(k) ?? "(none)"}"));
}
