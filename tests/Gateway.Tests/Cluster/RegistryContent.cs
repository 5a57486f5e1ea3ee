using System.Net;
using System.Security.Cryptography;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Cluster;

/// <summary>What a registry serves for a set of manifests (by tag or digest) and blobs, with its tag lists and catalog, as read over HTTP.</summary>
public sealed record RegistryContent(
    IReadOnlyDictionary<(string Repository, string Reference), (string MediaType, byte[] Body)> Manifests,
    IReadOnlyDictionary<(string Repository, Digest Digest), long> Blobs,
    IReadOnlyDictionary<string, string> TagLists,
    string Catalog)
{
    public static async Task<RegistryContent> ReadAsync(
        RegistryClient client, IEnumerable<(string Repository, string Reference)> manifests, IEnumerable<(string Repository, Digest Digest)> blobs)
    {
        var read = new Dictionary<(string, string), (string, byte[])>();
        foreach (var (repository, reference) in manifests)
        {
            using var response = await client.GetAsync($"/v2/{repository}/manifests/{reference}");
            await OciAssert.StatusAsync(HttpStatusCode.OK, response);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(Digest.Compute(body).ToString(), response.Headers.GetValues("Docker-Content-Digest").Single());
            read[(repository, reference)] = (response.Content.Headers.ContentType!.MediaType!, body);
        }
        var sizes = new Dictionary<(string, Digest), long>();
        foreach (var (repository, digest) in blobs)
        {
            using var response = await client.GetAsync($"/v2/{repository}/blobs/{digest}");
            await OciAssert.StatusAsync(HttpStatusCode.OK, response);
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(digest, Digest.FromHash(Digest.Sha256, SHA256.HashData(body)));
            sizes[(repository, digest)] = body.Length;
        }
        var tagLists = new Dictionary<string, string>();
        foreach (var repository in read.Keys.Select(k => k.Item1).Distinct())
        {
            tagLists[repository] = await TextAsync(client, $"/v2/{repository}/tags/list");
        }
        return new RegistryContent(read, sizes, tagLists, await TextAsync(client, "/v2/_catalog"));
    }

    /// <summary>The same manifests (bytes and media type), blobs, tag lists and catalog.</summary>
    public void AssertSameAs(RegistryContent other)
    {
        Assert.Equal(Manifests.Keys.Order(), other.Manifests.Keys.Order());
        AssertContains(other);
    }

    /// <summary>Every manifest and blob of <paramref name="subset"/> as here, and the same tag lists and catalog.</summary>
    public void AssertContains(RegistryContent subset)
    {
        foreach (var (key, (mediaType, body)) in subset.Manifests)
        {
            Assert.Equal(Manifests[key].MediaType, mediaType);
            Assert.True(Manifests[key].Body.AsSpan().SequenceEqual(body), $"{key} changed");
        }
        foreach (var (key, size) in subset.Blobs) Assert.Equal(Blobs[key], size);
        Assert.Equal(TagLists, subset.TagLists);
        Assert.Equal(Catalog, subset.Catalog);
    }

    private static async Task<string> TextAsync(RegistryClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        return await response.Content.ReadAsStringAsync();
    }
}
