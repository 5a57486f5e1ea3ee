using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Clients;

/// <summary>skopeo against the registry over TLS (NSCR_TLS_CERT/NSCR_TLS_KEY), verifying the certificate with a
/// throw-away CA given as a cert dir: no --tls-verify=false anywhere.</summary>
public sealed class SkopeoTlsTests(ITestOutputHelper output)
{
    [Fact]
    public Task CopyToAndFromTheRegistry_OverVerifiedTls() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var certificates = scope.NewTempDirectory("tls");
        var caDir = certificates.Combine("ca");
        Directory.CreateDirectory(caDir);
        WriteCertificates(certificates.Path, caDir);
        var registry = await scope.StartRegistryAsync(environment: new Dictionary<string, string>
        {
            ["NSCR_TLS_CERT"] = Path.Combine(certificates.Path, "server.crt"),
            ["NSCR_TLS_KEY"] = Path.Combine(certificates.Path, "server.key"),
        });
        Assert.Equal("https", registry.BaseAddress.Scheme);

        var storage = scope.NewStorage();
        var layouts = scope.NewTempDirectory("oci");
        var image = await Images.BuildAsync(storage, "localhost/e2e/tls-source:latest", ct);
        var source = await Images.ExportAsync(storage, image, layouts.Combine("source"), "v1", ct);
        var remote = $"docker://{registry.HostPort}/e2e/tls:v1";

        scope.Step("skopeo copy to the registry over TLS, trusting only the test CA");
        await Skopeo.RunAsync(ct, "copy", "--dest-cert-dir", caDir, source.ReferenceFor("v1"), remote);

        scope.Step("skopeo copy back over TLS");
        var pulled = new OciLayout(layouts.Combine("pulled"));
        await Skopeo.RunAsync(ct, "copy", "--src-cert-dir", caDir, remote, pulled.ReferenceFor("v1"));
        Assert.Equal(source.ManifestDigest("v1"), pulled.ManifestDigest("v1"));
        Expect.SameBlobs(source, pulled);

        scope.Step("without the CA the certificate is refused");
        var refused = await Tool.RunAsync("skopeo", ["inspect", remote], ct);
        Assert.True(refused.ExitCode != 0, $"inspect without the CA should fail: {refused}");
        Assert.Contains("certificate", refused.StandardError);
    });

    /// <summary>A CA (ca/ca.crt, the form skopeo's cert dirs take) and a server certificate for 127.0.0.1 it signed.</summary>
    private static void WriteCertificates(string directory, string caDir)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=nscr e2e CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(Path.Combine(caDir, "ca.crt"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.crt"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.key"), key.ExportPkcs8PrivateKeyPem());
    }
}
