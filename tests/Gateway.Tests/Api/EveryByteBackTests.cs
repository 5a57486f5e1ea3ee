using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Api;

/// <summary>DESIGN.md invariant 3: after deleting everything, one cycle with no grace leaves no file in blobs/ or uploads/.</summary>
public sealed class EveryByteBackTests
{
    [Fact]
    public async Task Deleting_everything_and_one_cycle_with_no_grace_empties_blobs_and_uploads()
    {
        await using var registry = await GcRegistryScope.StartAsync();
        var client = registry.Registry.Client;
        var app = TestContent.Repository("every-byte/app");
        var tools = TestContent.Repository("every-byte/tools");

        var baseLayer = await client.PushRandomBlobAsync(app, 5000);
        var config = await client.PushBlobAsync(app, TestContent.Utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}"), OciConfigType);
        var images = new List<PushedManifest>();
        for (var i = 0; i < 3; i++)
        {
            var own = await client.PushRandomBlobAsync(app, 2000 + i);
            var body = Bytes(Image(config, [baseLayer, own]));
            images.Add(await client.PushManifestAsync(app, $"v{i}", body, MediaTypes.OciManifest));
        }
        var index = await client.PushManifestAsync(app, "multi", Bytes(Index(images.Select(m => m.Ref))), MediaTypes.OciIndex);
        await client.PushBlobAsync(app, EmptyJson, MediaTypes.OciEmpty);
        var signatureBody = Bytes(Image(EmptyConfig, [await client.PushRandomBlobAsync(app, 90)], artifactType: "application/vnd.example.sig", subject: index.Ref));
        await client.PushManifestAsync(app, Digest.Compute(signatureBody).ToString(), signatureBody, MediaTypes.OciManifest);
        foreach (var blob in new[] { baseLayer, config })
        {
            using var mount = await client.SendAsync(HttpMethod.Post, $"/v2/{tools}/blobs/uploads/?mount={blob.Digest}&from={app}");
            await OciAssert.StatusAsync(HttpStatusCode.Created, mount);
        }
        await client.PushManifestAsync(tools, "latest", Bytes(Image(config, [baseLayer])), MediaTypes.OciManifest);
        await client.PushImageAsync(tools, "other", layers: 2);
        await client.PushRandomBlobAsync(tools, 700);
        Assert.NotEmpty(registry.Registry.StoredFiles());

        // Some images go by manifest and tag deletes, the rest with their repository.
        using (var deleteTag = await client.DeleteAsync($"/v2/{tools}/manifests/other"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, deleteTag);
        }
        using (var deleteIndex = await client.DeleteAsync($"/v2/{app}/manifests/{index.Digest}"))
        {
            await OciAssert.StatusAsync(HttpStatusCode.Accepted, deleteIndex);
        }
        await client.DeleteRepositoryAsync(app);
        await client.DeleteRepositoryAsync(tools);
        var report = await client.RunGcAsync();

        Assert.Empty(registry.Registry.StoredFiles());
        Assert.Empty(report["errors"]!.AsArray());
        var catalog = await client.GetAllPagesAsync("/v2/_catalog", "repositories");
        Assert.Empty(catalog.SelectMany(p => p.Items));
        using var fsck = await client.SendAsync(HttpMethod.Post, "/api/fsck");
        var check = await AdminApi.JsonAsync(fsck, HttpStatusCode.OK);
        Assert.Equal(0, check.Number("checkedBlobs"));
        Assert.True(check["ok"]!.GetValue<bool>());
    }
}

/// <summary>A <see cref="GcRegistry"/> of one test's own, disposed at the end of it.</summary>
public sealed class GcRegistryScope : IAsyncDisposable
{
    private GcRegistryScope(GcRegistry registry)
    {
        Registry = registry;
    }

    public GcRegistry Registry { get; }

    public static async Task<GcRegistryScope> StartAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        new(await GcRegistry.StartAsync(settings));

    public async ValueTask DisposeAsync() => await Registry.DisposeAsync();
}
