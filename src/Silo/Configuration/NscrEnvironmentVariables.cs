using System.Collections;
using System.Text;
using Microsoft.Extensions.Options;

namespace Nscr.Silo.Configuration;

/// <summary>Maps <c>NSCR_DATA_DIR</c>-style environment variables onto <c>Nscr:DataDir</c> configuration keys.</summary>
public static class NscrEnvironmentVariables
{
    private const string Prefix = "NSCR_";

    /// <summary>
    /// NSCR_* variables that are not settings of the server but may share its environment: the CLI's
    /// (<c>NSCR_URL</c>, …), the compose files' and the test, bench and deploy scripts'. Names starting with
    /// <c>NSCR_CLUSTER_</c> that are not settings belong to deploy/local-cluster.sh.
    /// </summary>
    public static readonly IReadOnlySet<string> NotSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "NSCR_URL", "NSCR_USERNAME", "NSCR_PASSWORD", "NSCR_UPDATE_DOCS", "NSCR_FUZZ_SEED", "NSCR_SERVER_PUBLISH_DIR",
        "NSCR_PUBLISH_DIR", "NSCR_HTTP_PORT", "NSCR_IMAGE", "NSCR_POSTGRES_PASSWORD", "NSCR_DOCKER_WORK", "NSCR_DIR",
        "NSCR_PID", "NSCR_VERSION",
    };

    private const string ScriptPrefix = "NSCR_CLUSTER_";

    /// <summary>
    /// The NSCR_* variables as configuration keys; a list setting takes comma-separated items (NSCR_AUTH_ADMINS=a,b).
    /// With <paramref name="rejectUnknown"/>, a variable that is no setting of this process (nor one of
    /// <see cref="NotSettings"/>), or one that names a setting no variable can give, stops the start-up naming it.
    /// </summary>
    public static Dictionary<string, string?> Read(bool rejectUnknown = true) => Read(Environment.GetEnvironmentVariables(), rejectUnknown);

    public static Dictionary<string, string?> Read(IDictionary variables, bool rejectUnknown = true)
    {
        var settings = NscrSettingsCatalog.ByKey;
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (DictionaryEntry entry in variables)
        {
            var name = (string)entry.Key;
            var value = entry.Value as string;
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var key = $"{NscrSection.Name}:{Key(name[Prefix.Length..])}";
            if (!settings.TryGetValue(key, out var setting))
            {
                if (NotSettings.Contains(name) || name.StartsWith(ScriptPrefix, StringComparison.Ordinal)) continue;
                if (rejectUnknown) problems.Add($"Unknown environment variable {name}: nscr has no such setting (did you mean {Closest(name, KnownNames(settings))}?).");
                else result[key] = value;
                continue;
            }
            switch (setting.Shape)
            {
                case NscrSettingShape.Scalar:
                    result[setting.Key] = value;
                    break;
                case NscrSettingShape.List:
                    var items = (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    for (var i = 0; i < items.Length; i++) result[$"{setting.Key}:{i}"] = items[i];
                    break;
                default:
                    if (rejectUnknown) problems.Add($"Environment variable {name} cannot be read: {setting.Key} is a list of objects or a map; give it as {setting.Key.Replace(":", "__", StringComparison.Ordinal)}__0__<field> variables or in appsettings.json.");
                    break;
            }
        }
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(NscrSection.Name, typeof(NscrEnvironmentVariables), problems.Order(StringComparer.Ordinal).Append("See docs/configuration.md for every setting."));
        }
        return result;
    }

    private static IEnumerable<string> KnownNames(IReadOnlyDictionary<string, NscrSetting> settings) =>
        settings.Values.Where(s => s.Shape != NscrSettingShape.Structured).Select(s => s.Environment);

    /// <summary>The known name with the smallest edit distance to <paramref name="name"/>.</summary>
    public static string Closest(string name, IEnumerable<string> names) => names.MinBy(n => Distance(name, n)) ?? "";

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
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
