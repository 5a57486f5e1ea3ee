using System.Text.Json;
using Nscr.Cli.Tests.Infrastructure;
using Xunit;

namespace Nscr.Cli.Tests.EndToEnd;

/// <summary>status, repos, tags, inspect and du against the real registry: human tables and --json.</summary>
public sealed class ReadCommandsTests(CliRegistry registry) : IClassFixture<CliRegistry>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task StatusShowsVersionModeStorageAndGc()
    {
        var repository = Unique("status/app");
        await registry.Pusher.PushImageAsync(repository, "1", [ImagePusher.RandomBytes(3000)]);

        var json = await registry.RunAsync("status", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var status = json.Json;
        Assert.Equal("0.1.0", status.GetProperty("version").GetString());
        Assert.Equal("embedded", status.GetProperty("mode").GetString());
        Assert.True(status.GetProperty("repositories").GetInt32() >= 1);
        Assert.True(status.GetProperty("storage").GetProperty("databaseBytes").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Number, status.GetProperty("storage").GetProperty("blobs").ValueKind);
        Assert.Equal(3600, status.GetProperty("gc").GetProperty("intervalSeconds").GetInt64());

        var human = await registry.RunAsync("status");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("version       0.1.0", human.Out);
        Assert.Contains("mode          embedded", human.Out);
        Assert.Matches(@"repositories  \d+ \(\d+ tags, \d+ manifests\)", human.Out);
        Assert.Matches(@"blobs         \d+ \(.+: .+ blobs, .+ manifests\)", human.Out);
        Assert.Matches(@"unreferenced  \d+ blobs \(.+\), reclaimed by GC once past the grace", human.Out);
        Assert.Matches(@"uploads       \d+ in flight \(.+\)", human.Out);
        Assert.Contains(registry.Url.ToString(), human.Out);
        Assert.DoesNotContain("\u001b[", human.Out);
    }

    [Fact]
    public async Task ReposListsCountsSizesAndFilters()
    {
        var prefix = Unique("repos");
        var layer = ImagePusher.RandomBytes(10_000);
        await registry.Pusher.PushImageAsync($"{prefix}/one", "1", [layer]);
        await registry.Pusher.PushImageAsync($"{prefix}/one", "2", [layer, ImagePusher.RandomBytes(5000)]);
        await registry.Pusher.PushImageAsync($"{prefix}/two", "latest", [ImagePusher.RandomBytes(2000)]);

        var json = await registry.RunAsync("repos", "--json", "--filter", prefix);
        Assert.True(json.ExitCode == 0, json.ToString());
        var repositories = json.Json.GetProperty("repositories").EnumerateArray().ToArray();
        Assert.Equal([$"{prefix}/one", $"{prefix}/two"], repositories.Select(r => r.GetProperty("name").GetString()));
        var one = repositories[0];
        Assert.Equal(2, one.GetProperty("tags").GetInt32());
        Assert.Equal(2, one.GetProperty("manifests").GetInt32());
        // Two layers, two configs, two manifests: at least the layers' 15,000 bytes, each blob once.
        Assert.InRange(one.GetProperty("sizeBytes").GetInt64(), 15_000, 17_000);
        Assert.True(one.GetProperty("lastPushedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(JsonValueKind.Null, json.Json.GetProperty("next").ValueKind);

        // Pagination is followed: a page of one still lists both.
        var limited = await registry.RunAsync("repos", "--json", "--filter", prefix, "--limit", "1");
        Assert.Single(limited.Json.GetProperty("repositories").EnumerateArray());
        Assert.Equal($"{prefix}/one", limited.Json.GetProperty("next").GetString());

        var human = await registry.RunAsync("repos", "-f", prefix);
        Assert.True(human.ExitCode == 0, human.ToString());
        var lines = human.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("REPOSITORY", lines[0]);
        Assert.Matches($@"^{prefix}/one\s+2\s+2\s+1[45]\.\d KiB\s+\d{{4}}-", lines[1]);
        Assert.StartsWith($"{prefix}/two", lines[2]);

        var none = await registry.RunAsync("repos", "--filter", "no-such-repository-anywhere");
        Assert.Equal(0, none.ExitCode);
        Assert.Contains("no repository matches", none.Error);
    }

    [Fact]
    public async Task TagsShowDigestTypeSizeAndPlatforms()
    {
        var repository = Unique("tags/multi");
        var amd64 = await registry.Pusher.PushImageAsync(repository, null, [ImagePusher.RandomBytes(4000)], "amd64");
        var arm64 = await registry.Pusher.PushImageAsync(repository, null, [ImagePusher.RandomBytes(4000)], "arm64");
        var index = await registry.Pusher.PushIndexAsync(repository, "v1", amd64, arm64);
        var single = await registry.Pusher.PushImageAsync(repository, "amd64-only", [ImagePusher.RandomBytes(100)]);

        var json = await registry.RunAsync("tags", repository, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(repository, json.Json.GetProperty("name").GetString());
        var tags = json.Json.GetProperty("tags").EnumerateArray().ToArray();
        Assert.Equal(["amd64-only", "v1"], tags.Select(t => t.GetProperty("tag").GetString()));
        var v1 = tags[1];
        Assert.Equal(index.Digest, v1.GetProperty("digest").GetString());
        Assert.Equal(ImagePusher.OciIndex, v1.GetProperty("mediaType").GetString());
        Assert.InRange(v1.GetProperty("sizeBytes").GetInt64(), 8000, 10_000);
        var platforms = v1.GetProperty("platforms").EnumerateArray().Select(p => $"{p.GetProperty("os").GetString()}/{p.GetProperty("architecture").GetString()}").ToArray();
        Assert.Equal(["linux/amd64", "linux/arm64"], platforms);
        Assert.Equal("v8", v1.GetProperty("platforms")[1].GetProperty("variant").GetString());
        Assert.Equal(single.Digest, tags[0].GetProperty("digest").GetString());
        Assert.Empty(tags[0].GetProperty("platforms").EnumerateArray());

        var human = await registry.RunAsync("tags", repository);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Matches(@"v1\s+sha256:[0-9a-f]{12}\s+oci index\s+\d+\.\d KiB\s+linux/amd64,linux/arm64/v8\s+\d{4}-", human.Out);
        Assert.Matches(@"amd64-only\s+sha256:[0-9a-f]{12}\s+oci manifest\s+", human.Out);
    }

    [Fact]
    public async Task InspectShowsPlatformsLayersAndReferrers()
    {
        var repository = Unique("inspect/app");
        var amd64 = await registry.Pusher.PushImageAsync(repository, "amd64", [ImagePusher.RandomBytes(1000), ImagePusher.RandomBytes(2000)], "amd64");
        var arm64 = await registry.Pusher.PushImageAsync(repository, null, [ImagePusher.RandomBytes(1000)], "arm64");
        var index = await registry.Pusher.PushIndexAsync(repository, "v1", amd64, arm64);
        var sbom = await registry.Pusher.PushImageAsync(repository, null, [ImagePusher.RandomBytes(50)], subject: ImagePusher.SubjectOf(amd64));

        var json = await registry.RunAsync("inspect", $"{repository}:v1", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var root = json.Json;
        Assert.Equal(index.Digest, root.GetProperty("digest").GetString());
        Assert.Equal(["v1"], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(2, root.GetProperty("platforms").GetArrayLength());
        Assert.Equal(amd64.Digest, root.GetProperty("platforms")[0].GetProperty("digest").GetString());
        Assert.Equal(2, root.GetProperty("manifest").GetProperty("manifests").GetArrayLength());
        Assert.InRange(root.GetProperty("sizeBytes").GetInt64(), 4000, 6000);

        var image = await registry.RunAsync("inspect", $"{repository}@{amd64.Digest}", "--json");
        Assert.True(image.ExitCode == 0, image.ToString());
        Assert.Equal(2, image.Json.GetProperty("layers").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, image.Json.GetProperty("config").ValueKind);
        var referrer = Assert.Single(image.Json.GetProperty("referrers").EnumerateArray());
        Assert.Equal(sbom.Digest, referrer.GetProperty("digest").GetString());
        Assert.Equal("application/vnd.example.sbom", referrer.GetProperty("artifactType").GetString());

        var human = await registry.RunAsync("inspect", $"{repository}:v1");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Matches($@"digest\s+{index.Digest}", human.Out);
        Assert.Matches($@"linux/arm64/v8\s+{arm64.Digest}\s+oci manifest", human.Out);

        var humanImage = await registry.RunAsync("inspect", $"{repository}:amd64");
        Assert.Matches(@"layer 2\s+sha256:[0-9a-f]{64}\s+application/vnd.oci.image.layer.v1.tar\+gzip\s+2\.0 KiB", humanImage.Out);
        Assert.Matches($@"{sbom.Digest}\s+application/vnd.example.sbom", humanImage.Out);
    }

    [Fact]
    public async Task DuCountsLayersUsedByTwoRepositoriesAsShared()
    {
        var prefix = Unique("du");
        var shared = ImagePusher.RandomBytes(20_000);
        await registry.Pusher.PushImageAsync($"{prefix}/a", "1", [shared, ImagePusher.RandomBytes(7000)]);
        await registry.Pusher.PushImageAsync($"{prefix}/b", "1", [shared]);

        var json = await registry.RunAsync("du", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var rows = json.Json.GetProperty("repositories").EnumerateArray().Where(r => r.GetProperty("name").GetString()!.StartsWith(prefix)).ToArray();
        Assert.Equal(2, rows.Length);
        var a = rows[0];
        Assert.Equal(20_000, a.GetProperty("sharedBytes").GetInt64());
        Assert.InRange(a.GetProperty("uniqueBytes").GetInt64(), 7000, 8000);
        Assert.Equal(a.GetProperty("sizeBytes").GetInt64(), a.GetProperty("uniqueBytes").GetInt64() + a.GetProperty("sharedBytes").GetInt64());
        Assert.Equal(20_000, rows[1].GetProperty("sharedBytes").GetInt64());
        var totals = json.Json.GetProperty("totals");
        Assert.True(totals.GetProperty("sharedBytes").GetInt64() >= 20_000);
        Assert.True(totals.GetProperty("storedBytes").GetInt64() >= totals.GetProperty("referencedBytes").GetInt64());

        var human = await registry.RunAsync("du");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Matches($@"{prefix}/a\s+2\d\.\d KiB\s+\d+\.\d KiB\s+19\.5 KiB\s+4", human.Out);
        Assert.Contains("unreferenced", human.Out);
    }
}
