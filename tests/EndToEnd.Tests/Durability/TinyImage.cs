using System.Net;
using System.Text;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// A config and a layer of a few hundred bytes, and the manifests standing on them: each <see cref="Manifest"/>
/// label makes another digest over the same blobs.
/// </summary>
internal sealed class TinyImage(RegistryClient client, byte[] config, byte[] layer)
{
    public byte[] Config => config;

    public byte[] Layer => layer;

    public static TinyImage New(RegistryClient client) =>
        new(client, Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""), Images.RandomBytes(512));

    /// <summary>The manifest <paramref name="label"/> over the config and the image's layer, or <paramref name="otherLayer"/>.</summary>
    public byte[] Manifest(string label, byte[]? otherLayer = null) => ManifestOver(label, otherLayer ?? layer);

    private byte[] ManifestOver(string label, byte[] layer) => Encoding.UTF8.GetBytes($$$"""
        {"schemaVersion":2,"mediaType":"{{{RegistryClient.OciManifest}}}",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{RegistryClient.DigestOf(config)}}}","size":{{{config.Length}}}},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{{RegistryClient.DigestOf(layer)}}}","size":{{{layer.Length}}}}],
         "annotations":{"e2e.label":"{{{label}}}"}}
        """);

    public async Task UploadBlobsAsync(string repository, CancellationToken ct)
    {
        await client.UploadBlobAsync(repository, config, ct);
        await client.UploadBlobAsync(repository, layer, ct);
    }

    /// <summary>Uploads the blobs and puts the manifest <paramref name="label"/> at <paramref name="tag"/>, acknowledged.</summary>
    public async Task<byte[]> PushAsync(string repository, string tag, string label, CancellationToken ct)
    {
        await UploadBlobsAsync(repository, ct);
        return await PutAsync(repository, tag, label, ct);
    }

    public async Task<byte[]> PutAsync(string repository, string tag, string label, CancellationToken ct, byte[]? otherLayer = null)
    {
        var manifest = Manifest(label, otherLayer);
        using var response = await client.PutManifestAsync(repository, tag, manifest, ct);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.Created);
        return manifest;
    }

    /// <summary>The manifest <paramref name="label"/> at <paramref name="tag"/> and by digest, and both blobs, pull back bit-identical.</summary>
    public async Task AssertPullsAsync(string repository, string tag, string label, CancellationToken ct)
    {
        var manifest = Manifest(label);
        foreach (var reference in new[] { tag, RegistryClient.DigestOf(manifest) })
        {
            var (status, body, digest) = await client.GetManifestAsync(repository, reference, ct);
            Assert.True(status == HttpStatusCode.OK, $"{repository}:{reference} answers {(int)status}");
            Assert.True(body.AsSpan().SequenceEqual(manifest), $"{repository}:{reference} serves other bytes");
            Assert.Equal(RegistryClient.DigestOf(manifest), digest);
        }
        foreach (var blob in new[] { config, layer })
        {
            using var get = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{RegistryClient.DigestOf(blob)}"), ct);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.True((await get.Content.ReadAsByteArrayAsync(ct)).AsSpan().SequenceEqual(blob), $"{repository} blob changed");
        }
    }

    /// <summary>Whether <paramref name="reference"/> serves the manifest <paramref name="label"/> (true) or nothing (false).</summary>
    public async Task<bool> ServesAsync(string repository, string reference, string label, CancellationToken ct)
    {
        var (status, body, _) = await client.GetManifestAsync(repository, reference, ct);
        if (status == HttpStatusCode.NotFound) return false;
        Assert.True(status == HttpStatusCode.OK, $"{repository}:{reference} answers {(int)status}");
        Assert.True(body.AsSpan().SequenceEqual(Manifest(label)), $"{repository}:{reference} serves other bytes");
        return true;
    }
}
