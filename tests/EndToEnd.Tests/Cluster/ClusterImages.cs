using System.Net;
using System.Text.Json;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Nscr.EndToEnd.Tests.Cluster;

/// <summary>Checks over plain HTTP that a registry serves an image exactly as a layout holds it.</summary>
public static class ClusterImages
{
    /// <summary>The tag resolves to the layout's manifest, and the manifest, config and layers come back byte for byte.</summary>
    public static async Task ExpectServedAsync(
        RegistryClient client, string repository, string tag, OciLayout source, CancellationToken cancellationToken)
    {
        var expectedDigest = source.ManifestDigest(tag);
        var (status, manifest, served) = await client.GetManifestAsync(repository, tag, cancellationToken);
        Assert.True(status == HttpStatusCode.OK, $"{repository}:{tag}: {(int)status}");
        Assert.Equal(expectedDigest, served);
        Assert.Equal(expectedDigest, RegistryClient.DigestOf(manifest));

        var blobs = source.ReadBlobs();
        using var json = JsonDocument.Parse(manifest);
        var descriptors = json.RootElement.GetProperty("layers").EnumerateArray()
            .Prepend(json.RootElement.GetProperty("config"))
            .Select(d => d.GetProperty("digest").GetString()!);
        foreach (var digest in descriptors)
        {
            var bytes = await GetBlobAsync(client, repository, digest, cancellationToken);
            Assert.True(bytes.AsSpan().SequenceEqual(blobs[digest["sha256:".Length..]]), $"{repository}@{digest} differs");
        }
    }

    public static async Task<byte[]> GetBlobAsync(
        RegistryClient client, string repository, string digest, CancellationToken cancellationToken)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{digest}");
        using var response = await client.SendAsync(get, cancellationToken);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Assert.Equal(digest, RegistryClient.DigestOf(bytes));
        return bytes;
    }
}
