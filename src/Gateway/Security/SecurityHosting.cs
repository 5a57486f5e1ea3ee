using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Nscr.Gateway.Hosting;

namespace Nscr.Gateway.Security;

/// <summary>The registry's listener (HTTP, or HTTPS with HTTP/2), Kestrel's limits, rate limiting and the raw
/// request-target check: one call on the builder, one on the app.</summary>
public static class SecurityHosting
{
    /// <summary>Reads and validates the settings, listens on <see cref="RegistryOptions.ListenAddress"/>:<see cref="RegistryOptions.Port"/>.</summary>
    public static SecuritySettings AddNscrSecurity(this WebApplicationBuilder builder, RegistryOptions options)
    {
        var settings = SecuritySettings.Read(builder.Configuration);
        var certificate = settings.Tls.Enabled ? TlsCertificate.Load(settings.Tls) : null;
        var chain = certificate is null ? null : ChainOf(settings.Tls.Cert!);
        builder.Services.AddSingleton(settings);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            ApplyLimits(kestrel.Limits, settings.Limits);
            kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.Port, listen =>
            {
                if (certificate is null)
                {
                    // Plain HTTP/1.1: h2c is not what registry clients speak.
                    listen.Protocols = HttpProtocols.Http1;
                    return;
                }
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    if (chain is { Count: > 0 }) https.ServerCertificateChain = chain;
                });
            });
        });
        builder.Services.AddNscrRateLimiting(settings.RateLimit);
        return settings;
    }

    /// <summary>Call before authentication and the endpoints: hostile targets and rate-limited clients stop here.</summary>
    public static WebApplication UseNscrSecurity(this WebApplication app)
    {
        app.UseMiddleware<RawTargetGuard>();
        app.UseNscrRateLimiting(app.Services.GetRequiredService<SecuritySettings>().RateLimit);
        return app;
    }

    private static void ApplyLimits(KestrelServerLimits kestrel, LimitsOptions limits)
    {
        kestrel.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersBytes;
        kestrel.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrel.MaxRequestLineSize = limits.MaxRequestLineBytes;
        kestrel.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.KeepAliveTimeout = limits.KeepAliveTimeout;
        kestrel.MaxConcurrentConnections = limits.MaxConnections > 0 ? limits.MaxConnections : null;
        kestrel.MinRequestBodyDataRate = limits.MinRequestBodyBytesPerSecond > 0
            ? new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.RequestBodyGrace)
            : null;
        // HTTP/2 carries headers in HPACK frames: the same budget applies to one header field.
        kestrel.Http2.MaxRequestHeaderFieldSize = Math.Max(kestrel.Http2.MaxRequestHeaderFieldSize, limits.MaxRequestHeadersBytes);
    }

    /// <summary>The intermediate certificates that follow the leaf in the PEM file, sent in the handshake.</summary>
    private static X509Certificate2Collection ChainOf(string pemFile)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(pemFile);
        var chain = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++) chain.Add(all[i]);
        all[0].Dispose();
        return chain;
    }
}
