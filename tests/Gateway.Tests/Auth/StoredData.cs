using System.Text;
using System.Text.Json;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>What the registry holds, as text: every file under the data dir (but the database) with its size, and the tags
/// of the repositories a test touched (read as the admin).</summary>
public static class StoredData
{
    public static async Task<string> SnapshotAsync(AuthRegistry registry, IEnumerable<string> repositories)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(registry.DataDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(registry.DataDir, file);
            if (relative.StartsWith("nscr.db", StringComparison.Ordinal)) continue;
            text.Append(relative).Append(' ').Append(new FileInfo(file).Length).Append('\n');
        }
        foreach (var repository in repositories)
        {
            using var response = await registry.Admin.GetAsync($"/v2/{repository}/tags/list");
            text.Append(repository).Append(": ").Append((int)response.StatusCode).Append(' ').Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Asserts an OCI error document carrying <paramref name="code"/>.</summary>
    public static void AssertError(string body, string code)
    {
        using var document = JsonDocument.Parse(body);
        var error = document.RootElement.GetProperty("errors")[0];
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.True(error.TryGetProperty("detail", out _));
    }
}
