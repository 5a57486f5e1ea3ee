using System.Collections;
using System.Text;

namespace Nscr.Silo.Configuration;

/// <summary>Maps <c>NSCR_DATA_DIR</c>-style environment variables onto <c>Nscr:DataDir</c> configuration keys.</summary>
public static class NscrEnvironmentVariables
{
    private const string Prefix = "NSCR_";

    public static Dictionary<string, string?> Read()
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || name.Length == Prefix.Length) continue;
            result[$"{NscrSection.Name}:{Key(name[Prefix.Length..])}"] = entry.Value as string;
        }
        return result;
    }

    /// <summary>DATA_DIR → DataDir; sub-sections by prefix: GC_GRACE → Gc:Grace, AUTH_SERVICE → Auth:Service; HTPASSWD → Auth:Htpasswd.</summary>
    public static string Key(string snake)
    {
        if (snake == "HTPASSWD") return "Auth:Htpasswd";
        foreach (var (prefix, section) in SubSections)
        {
            if (snake.StartsWith(prefix, StringComparison.Ordinal) && snake.Length > prefix.Length) return $"{section}:{PascalCase(snake[prefix.Length..])}";
        }
        return PascalCase(snake);
    }

    /// <summary>Environment-name prefixes of the sub-sections: GC_GRACE → Gc:Grace, S3_BUCKET → S3:Bucket (one line per options class with its own section).</summary>
    private static readonly (string Prefix, string Section)[] SubSections =
    [
        ("GC_", "Gc"),
        ("AUTH_", "Auth"),
        ("S3_", "S3"),
        ("TLS_", "Tls"),
        ("LIMITS_", "Limits"),
        ("RATE_LIMIT_", "RateLimit"),
        ("LOG_", "Log"),
        ("METRICS_", "Metrics"),
        ("WEBHOOKS_", "Webhooks"),
        ("LIVE_", "Live"),
    ];

    /// <summary>DATA_DIR → DataDir.</summary>
    public static string PascalCase(string snake)
    {
        var builder = new StringBuilder(snake.Length);
        foreach (var part in snake.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append(char.ToUpperInvariant(part[0])).Append(part[1..].ToLowerInvariant());
        }
        return builder.ToString();
    }

    /// <summary>Command-line switches: --port, --data-dir, --listen-address, --max-blob-bytes, --silo-port, --gateway-port,
    /// --advertised-address, --role (no --postgres: a password on the command line is visible to every user).</summary>
    public static Dictionary<string, string> SwitchMappings() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["--port"] = $"{NscrSection.Name}:Port",
        ["--data-dir"] = $"{NscrSection.Name}:DataDir",
        ["--listen-address"] = $"{NscrSection.Name}:ListenAddress",
        ["--max-blob-bytes"] = $"{NscrSection.Name}:MaxBlobBytes",
        ["--silo-port"] = $"{NscrSection.Name}:SiloPort",
        ["--gateway-port"] = $"{NscrSection.Name}:GatewayPort",
        ["--advertised-address"] = $"{NscrSection.Name}:AdvertisedAddress",
        ["--role"] = $"{NscrSection.Name}:Role",
    };
}
