using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Nscr.Gateway.Security;

/// <summary>Loads the server certificate from <see cref="TlsOptions"/>, failing start-up with a clear message.</summary>
public static class TlsCertificate
{
    public static X509Certificate2 Load(TlsOptions tls)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(tls.Cert)) problems.Add("Tls:Cert (NSCR_TLS_CERT) is required when Tls:Key is set.");
        else if (!File.Exists(tls.Cert)) problems.Add($"Tls:Cert '{tls.Cert}' does not exist.");
        if (string.IsNullOrWhiteSpace(tls.Key)) problems.Add("Tls:Key (NSCR_TLS_KEY) is required when Tls:Cert is set.");
        else if (!File.Exists(tls.Key)) problems.Add($"Tls:Key '{tls.Key}' does not exist.");
        if (problems.Count > 0) throw Fail(problems);

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(tls.Cert!, tls.Key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // The message names the files, never their content.
            throw Fail([$"Tls:Cert '{tls.Cert}' and Tls:Key '{tls.Key}' are not a PEM certificate and its matching private key: {e.Message}"]);
        }
        using (certificate)
        {
            if (!certificate.HasPrivateKey) throw Fail([$"Tls:Key '{tls.Key}' holds no private key for '{tls.Cert}'."]);
            var now = DateTime.Now;
            if (certificate.NotAfter < now) throw Fail([$"Tls:Cert '{tls.Cert}' expired on {certificate.NotAfter:u}."]);
            // A key loaded from PEM is ephemeral; SslStream on Linux accepts it, but exporting to PKCS#12 and back
            // gives a certificate every platform can use for a server handshake.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static OptionsValidationException Fail(IEnumerable<string> problems) =>
        new(TlsOptions.Section, typeof(TlsOptions), problems);
}
