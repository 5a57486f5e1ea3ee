using System.Net;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Api;

public sealed class FsckTests
{
    [Fact]
    public async Task Fsck_finds_corrupt_and_missing_blobs_and_changes_nothing()
    {
        await using var scope = await GcRegistryScope.StartAsync();
        var registry = scope.Registry;
        var client = registry.Client;
        var repository = TestContent.Repository("fsck");
        var image = await client.PushImageAsync(repository, "v1", layers: 2);

        var clean = await FsckAsync(client);
        Assert.True(clean["ok"]!.GetValue<bool>());
        Assert.Equal(4, clean.Number("checkedBlobs"));
        Assert.Equal(image.Layers.Sum(l => l.Size) + image.Config.Size + image.Manifest.Body.Length, clean.Number("checkedBytes"));

        var corruptPath = registry.BlobPath(image.Layers[0].Digest);
        var bytes = await File.ReadAllBytesAsync(corruptPath);
        bytes[0] ^= 0xFF;
        await File.WriteAllBytesAsync(corruptPath, bytes);
        File.Delete(registry.BlobPath(image.Layers[1].Digest));

        var broken = await FsckAsync(client);

        Assert.False(broken["ok"]!.GetValue<bool>());
        var corrupt = broken["corrupt"]!.AsArray().Single()!;
        Assert.Equal(image.Layers[0].Digest.ToString(), corrupt["digest"]!.GetValue<string>());
        Assert.NotEqual(image.Layers[0].Digest.ToString(), corrupt["actual"]!.GetValue<string>());
        var missing = broken["missing"]!.AsArray().Single()!;
        Assert.Equal(repository, missing["repository"]!.GetValue<string>());
        Assert.Equal(image.Layers[1].Digest.ToString(), missing["digest"]!.GetValue<string>());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(corruptPath));
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> FsckAsync(RegistryClient client)
    {
        using var response = await client.SendAsync(HttpMethod.Post, "/api/fsck");
        return await AdminApi.JsonAsync(response, HttpStatusCode.OK);
    }
}
