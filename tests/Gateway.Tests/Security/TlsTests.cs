using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Nscr.Gateway.Security;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Security;

public sealed class TlsTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = new();
    private ConfiguredRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _registry = await ConfiguredRegistry.StartAsync(new Dictionary<string, string?>
        {
            ["Nscr:Tls:Cert"] = _certificates.CertFile,
            ["Nscr:Tls:Key"] = _certificates.KeyFile,
        });
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task Https_NegotiatesHttp2_AndPushesAndPullsAnImage()
    {
        Assert.Equal("https", _registry.BaseAddress.Scheme);
        using var http = _certificates.CreateClient(_registry.BaseAddress);
        using (var baseResponse = await http.GetAsync("/v2/"))
        {
            Assert.Equal(HttpStatusCode.OK, baseResponse.StatusCode);
            Assert.Equal(HttpVersion.Version20, baseResponse.Version);
        }

        var repository = TestContent.Repository("tls");
        var config = TestContent.Utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var layer = TestContent.RandomBytes(300_000);
        foreach (var blob in new[] { config, layer })
        {
            using var content = new ByteArrayContent(blob);
            content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OctetStream);
            using var pushed = await http.PostAsync($"/v2/{repository}/blobs/uploads/?digest={Digest.Compute(blob)}", content);
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
            Assert.Equal(HttpVersion.Version20, pushed.Version);
        }
        var manifest = ManifestBuilder.Bytes(ManifestBuilder.Image(
            new BlobRef(ManifestBuilder.OciConfigType, Digest.Compute(config), config.Length),
            [new BlobRef(ManifestBuilder.OciLayerType, Digest.Compute(layer), layer.Length)]));
        using (var put = await http.PutAsync($"/v2/{repository}/manifests/v1", RegistryClient.Content(manifest, MediaTypes.OciManifest)))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(manifest, await http.GetByteArrayAsync($"/v2/{repository}/manifests/v1"));
        using var pulled = await http.GetAsync($"/v2/{repository}/blobs/{Digest.Compute(layer)}");
        Assert.Equal(HttpVersion.Version20, pulled.Version);
        Assert.Equal(layer, await pulled.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Https_StillServesHttp11Clients()
    {
        using var http = _certificates.CreateClient(_registry.BaseAddress, HttpVersion.Version11);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/") { VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Fact]
    public async Task PlainHttp_OnTheTlsPort_GetsNoRegistryAnswer()
    {
        var plain = new UriBuilder(_registry.BaseAddress) { Scheme = "http" }.Uri;
        using var http = new HttpClient { BaseAddress = plain, Timeout = TimeSpan.FromSeconds(10) };
        var answered = false;
        try
        {
            using var response = await http.GetAsync("/v2/");
            answered = response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
        }
        Assert.False(answered, "a plain-HTTP request on the TLS port must not be served");
    }

    [Fact]
    public void StartUp_RejectsMissingFiles_WithTheirNames()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(("Cert", "/nonexistent/server.crt"), ("Key", _certificates.KeyFile)));
        Assert.Contains("Tls:Cert '/nonexistent/server.crt' does not exist", error.Message);

        error = Assert.Throws<OptionsValidationException>(() => Load(("Cert", _certificates.CertFile)));
        Assert.Contains("Tls:Key (NSCR_TLS_KEY) is required", error.Message);
    }

    [Fact]
    public void StartUp_RejectsAKeyThatDoesNotMatchTheCertificate()
    {
        var otherKey = Path.Combine(_certificates.Directory, "other.key");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(otherKey, key.ExportPkcs8PrivateKeyPem());
        }
        var error = Assert.Throws<OptionsValidationException>(() => Load(("Cert", _certificates.CertFile), ("Key", otherKey)));
        Assert.Contains("matching private key", error.Message);
        Assert.DoesNotContain("PRIVATE KEY", error.Message);
    }

    [Fact]
    public void StartUp_RejectsAFileThatIsNotPem()
    {
        var garbage = Path.Combine(_certificates.Directory, "garbage.crt");
        File.WriteAllText(garbage, "not a certificate");
        var error = Assert.Throws<OptionsValidationException>(() => Load(("Cert", garbage), ("Key", _certificates.KeyFile)));
        Assert.Contains("garbage.crt", error.Message);
    }

    private static void Load(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"Nscr:Tls:{v.Key}", v.Value)))
            .Build();
        using var certificate = TlsCertificate.Load(SecuritySettings.Read(configuration).Tls);
    }
}
