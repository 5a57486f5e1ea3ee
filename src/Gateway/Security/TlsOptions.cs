using System.ComponentModel;

namespace Nscr.Gateway.Security;

/// <summary>HTTPS with a PEM certificate and key (env NSCR_TLS_CERT, NSCR_TLS_KEY). Both or neither.</summary>
public sealed class TlsOptions
{
    public const string Section = "Nscr:Tls";

    [Description("PEM certificate file (the chain may follow the leaf); with Key, the registry serves HTTPS with HTTP/1.1 and HTTP/2 only.")]
    public string? Cert { get; set; }

    [Description("PEM private key file matching Cert (PKCS#8, PKCS#1 or SEC1; unencrypted).")]
    public string? Key { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Cert) || !string.IsNullOrWhiteSpace(Key);
}
