using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Api;

/// <summary>GC and fsck over sha512 blobs and manifests: the unreferenced go, the referenced stay and verify.</summary>
public sealed class Sha512CollectionTests
{
    [Fact]
    public async Task Gc_frees_unreferenced_sha512_content_keeps_referenced_and_fsck_verifies_it()
    {
        await using var scope = await GcRegistryScope.StartAsync();
        var registry = scope.Registry;
        var client = registry.Client;
        var repository = TestContent.Repository("sha512-gc");
        await client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        var shared = await PushAsync(client, repository, TestContent.RandomBytes(4000));
        var keptLayer = await PushAsync(client, repository, TestContent.RandomBytes(3000));
        var goneLayer = await PushAsync(client, repository, TestContent.RandomBytes(2000));
        var loose = await PushAsync(client, repository, TestContent.RandomBytes(1000));
        var kept = await PutAsync(client, repository, Bytes(Image(EmptyConfig, [shared, keptLayer])), "tag=v1&tag=stable");
        var gone = await PutAsync(client, repository, Bytes(Image(EmptyConfig, [shared, goneLayer])), "tag=old");
        using (var delete = await client.DeleteAsync($"/v2/{repository}/manifests/{gone}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        }
        using (var unlink = await client.DeleteAsync($"/v2/{repository}/blobs/{loose.Digest}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, unlink);
        }

        var report = await client.RunGcAsync();

        Assert.Empty(report["errors"]!.AsArray());
        Assert.All(new[] { kept, shared.Digest, keptLayer.Digest }, d => Assert.True(registry.BlobFileExists(d), $"{d} was collected"));
        Assert.All(new[] { gone, goneLayer.Digest, loose.Digest }, d => Assert.False(registry.BlobFileExists(d), $"{d} was kept"));
        using (var pull = await client.GetAsync($"/v2/{repository}/manifests/stable"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.OK, pull);
            Assert.Equal(kept, Digest.Compute(await pull.Content.ReadAsByteArrayAsync(), Digest.Sha512));
        }
        using (var layer = await client.GetAsync($"/v2/{repository}/blobs/{shared.Digest}"))
        {
            Assert.Equal(shared.Digest, Digest.Compute(await layer.Content.ReadAsByteArrayAsync(), Digest.Sha512));
        }

        var clean = await FsckAsync(client);
        Assert.True(clean["ok"]!.GetValue<bool>());
        Assert.Equal(4, clean.Number("checkedBlobs"));

        var path = registry.BlobPath(keptLayer.Digest);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);
        var broken = await FsckAsync(client);
        Assert.False(broken["ok"]!.GetValue<bool>());
        var corrupt = broken["corrupt"]!.AsArray().Single()!;
        Assert.Equal(keptLayer.Digest.ToString(), corrupt["digest"]!.GetValue<string>());
        Assert.Equal(Digest.Compute(bytes, Digest.Sha512).ToString(), corrupt["actual"]!.GetValue<string>());
    }

    private static async Task<BlobRef> PushAsync(RegistryClient client, string repository, byte[] content)
    {
        var digest = Digest.Compute(content, Digest.Sha512);
        using var response = await client.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={digest}", RegistryClient.Octets(content));
        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        return new BlobRef(OciLayerType, digest, content.Length);
    }

    private static async Task<Digest> PutAsync(RegistryClient client, string repository, byte[] body, string tags)
    {
        var digest = Digest.Compute(body, Digest.Sha512);
        using var response = await client.SendAsync(HttpMethod.Put, $"/v2/{repository}/manifests/{digest}?{tags}", RegistryClient.Content(body, MediaTypes.OciManifest));
        await OciAssert.StatusAsync(HttpStatusCode.Created, response);
        return digest;
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> FsckAsync(RegistryClient client)
    {
        using var response = await client.SendAsync(HttpMethod.Post, "/api/fsck");
        return await AdminApi.JsonAsync(response, HttpStatusCode.OK);
    }
}
