using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using static Nscr.Gateway.Tests.Infrastructure.ManifestBuilder;

namespace Nscr.Gateway.Tests.Http;

public sealed class ReferrersTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string SbomType = "application/vnd.example.sbom.v1";
    private const string SignatureType = "application/vnd.example.signature.v1";
    private const string CustomConfigType = "application/vnd.example.config.v1+json";

    private RegistryClient Client => registry.Client;

    private async Task<PushedManifest> PushArtifactAsync(string repository, BlobRef subject, string? artifactType, BlobRef? config = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        await Client.PushBlobAsync(repository, EmptyJson, MediaTypes.OciEmpty);
        var layer = await Client.PushRandomBlobAsync(repository, 64, "application/vnd.example.data");
        var body = Bytes(Image(config ?? EmptyConfig, [layer], artifactType: artifactType, subject: subject, annotations: annotations));
        return await Client.PushManifestAsync(repository, Digest.Compute(body).ToString(), body, MediaTypes.OciManifest);
    }

    private async Task<(HttpResponseMessage Response, JsonArray Manifests)> GetReferrersAsync(string repository, Digest subject, string query = "")
    {
        var response = await Client.GetAsync($"/v2/{repository}/referrers/{subject}{query}");
        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(MediaTypes.OciIndex, response.Content.Headers.ContentType?.MediaType);
        var index = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(2, index!["schemaVersion"]!.GetValue<int>());
        Assert.Equal(MediaTypes.OciIndex, index["mediaType"]!.GetValue<string>());
        return (response, index["manifests"]!.AsArray());
    }

    private static JsonObject Find(JsonArray manifests, Digest digest) =>
        manifests.Single(m => m!["digest"]!.GetValue<string>() == digest.ToString())!.AsObject();

    [Fact]
    public async Task Referrers_ListEveryManifestWithThatSubject_WithArtifactTypeAndAnnotations()
    {
        var repository = TestContent.Repository("referrers");
        var image = await Client.PushImageAsync(repository, "v1");
        var sbom = await PushArtifactAsync(repository, image.Manifest.Ref, SbomType,
            annotations: new Dictionary<string, string> { ["org.example.format"] = "spdx", ["org.opencontainers.image.created"] = "2024-05-01T00:00:00Z" });
        var signature = await PushArtifactAsync(repository, image.Manifest.Ref, SignatureType);
        var customConfig = await Client.PushBlobAsync(repository, TestContent.Utf8("{\"kind\":\"custom\"}"), CustomConfigType);
        var untyped = await PushArtifactAsync(repository, image.Manifest.Ref, artifactType: null, config: customConfig);
        var unrelated = await Client.PushImageAsync(repository, "v2");
        await PushArtifactAsync(repository, unrelated.Manifest.Ref, SbomType);

        var (response, manifests) = await GetReferrersAsync(repository, image.Digest);
        using (response)
        {
            Assert.False(response.Headers.Contains("OCI-Filters-Applied"));
        }

        Assert.Equal(3, manifests.Count);
        var sbomEntry = Find(manifests, sbom.Digest);
        Assert.Equal(MediaTypes.OciManifest, sbomEntry["mediaType"]!.GetValue<string>());
        Assert.Equal(sbom.Body.Length, sbomEntry["size"]!.GetValue<long>());
        Assert.Equal(SbomType, sbomEntry["artifactType"]!.GetValue<string>());
        Assert.Equal("spdx", sbomEntry["annotations"]!["org.example.format"]!.GetValue<string>());
        Assert.Equal("2024-05-01T00:00:00Z", sbomEntry["annotations"]!["org.opencontainers.image.created"]!.GetValue<string>());
        Assert.Equal(SignatureType, Find(manifests, signature.Digest)["artifactType"]!.GetValue<string>());
        Assert.Equal(CustomConfigType, Find(manifests, untyped.Digest)["artifactType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Referrers_IncludeAnIndexWithASubject_WithoutArtifactType()
    {
        var repository = TestContent.Repository("referrers");
        var image = await Client.PushImageAsync(repository, "v1");
        var child = await Client.PushImageAsync(repository, tag: null);
        var body = Bytes(Index([child.Manifest.Ref], subject: image.Manifest.Ref, annotations: new Dictionary<string, string> { ["k"] = "v" }));
        var index = await Client.PushManifestAsync(repository, Digest.Compute(body).ToString(), body, MediaTypes.OciIndex);

        var (response, manifests) = await GetReferrersAsync(repository, image.Digest);
        response.Dispose();

        var entry = Find(manifests, index.Digest);
        Assert.Equal(MediaTypes.OciIndex, entry["mediaType"]!.GetValue<string>());
        Assert.False(entry.ContainsKey("artifactType"));
        Assert.Equal("v", entry["annotations"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task Referrers_FilteredByArtifactType_SetOciFiltersApplied()
    {
        var repository = TestContent.Repository("referrers");
        var image = await Client.PushImageAsync(repository, "v1");
        var sbom = await PushArtifactAsync(repository, image.Manifest.Ref, SbomType);
        await PushArtifactAsync(repository, image.Manifest.Ref, SignatureType);

        var (response, manifests) = await GetReferrersAsync(repository, image.Digest, $"?artifactType={Uri.EscapeDataString(SbomType)}");
        var (noneResponse, none) = await GetReferrersAsync(repository, image.Digest, "?artifactType=application%2Fvnd.example.none");

        Assert.Equal("artifactType", OciAssert.Header(response, "OCI-Filters-Applied"));
        Assert.Equal([sbom.Digest.ToString()], manifests.Select(m => m!["digest"]!.GetValue<string>()).ToArray());
        Assert.Equal("artifactType", OciAssert.Header(noneResponse, "OCI-Filters-Applied"));
        Assert.Empty(none);
        response.Dispose();
        noneResponse.Dispose();
    }

    [Fact]
    public async Task Referrers_OfASubjectThatWasNeverPushed_AreListedToo()
    {
        var repository = TestContent.Repository("referrers");
        var absent = new BlobRef(MediaTypes.OciManifest, TestContent.UnknownDigest(), 1234);

        var artifact = await PushArtifactAsync(repository, absent, SbomType);
        var (response, manifests) = await GetReferrersAsync(repository, absent.Digest);
        response.Dispose();

        Assert.Equal([artifact.Digest.ToString()], manifests.Select(m => m!["digest"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task Referrers_OfAnUnknownSubject_AreAnEmptyIndex()
    {
        var repository = TestContent.Repository("referrers");
        await Client.PushImageAsync(repository, "v1");

        var (known, manifests) = await GetReferrersAsync(repository, TestContent.UnknownDigest());
        var (unknownRepository, none) = await GetReferrersAsync(TestContent.Repository("referrers"), TestContent.UnknownDigest());
        known.Dispose();
        unknownRepository.Dispose();

        Assert.Empty(manifests);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Referrers_ForgetADeletedReferrer()
    {
        var repository = TestContent.Repository("referrers");
        var image = await Client.PushImageAsync(repository, "v1");
        var kept = await PushArtifactAsync(repository, image.Manifest.Ref, SbomType);
        var deleted = await PushArtifactAsync(repository, image.Manifest.Ref, SignatureType);

        using var delete = await Client.DeleteAsync($"/v2/{repository}/manifests/{deleted.Digest}");
        var (response, manifests) = await GetReferrersAsync(repository, image.Digest);
        response.Dispose();

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        Assert.Equal([kept.Digest.ToString()], manifests.Select(m => m!["digest"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task Referrers_AreScopedToTheRepository()
    {
        var repository = TestContent.Repository("referrers");
        var other = TestContent.Repository("referrers");
        var image = await Client.PushImageAsync(repository, "v1");
        await PushArtifactAsync(repository, image.Manifest.Ref, SbomType);

        var (response, manifests) = await GetReferrersAsync(other, image.Digest);
        response.Dispose();

        Assert.Empty(manifests);
    }

    [Fact]
    public async Task Referrers_WithAnInvalidDigest_Are400()
    {
        var repository = TestContent.Repository("referrers");

        using var response = await Client.GetAsync($"/v2/{repository}/referrers/sha256:xyz");

        await OciAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }
}
