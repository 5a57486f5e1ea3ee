using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Nscr.Gateway.Hosting;
using Nscr.Grains.Gc;

namespace Nscr.Deploy.Tests;

/// <summary>
/// The NSCR_* environment variables the code reads, derived by reflection from every settings class (a public
/// <c>Section</c> constant "Nscr" or "Nscr:Xxx" and its properties), plus the GC settings, so a deployment file can
/// not name a setting that does not exist.
/// </summary>
public static partial class KnownSettings
{
    /// <summary>The S3 names fixed by the cluster-mode contract, used only while no "Nscr:S3" settings class is built in.</summary>
    private static readonly string[] S3Contract =
        ["NSCR_S3_BUCKET", "NSCR_S3_ENDPOINT", "NSCR_S3_REGION", "NSCR_S3_ACCESS_KEY", "NSCR_S3_SECRET_KEY", "NSCR_S3_PATH_STYLE"];

    public static IReadOnlySet<string> EnvironmentVariables { get; } = Collect();

    private static HashSet<string> Collect()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sections = new HashSet<string>();
        foreach (var type in NscrAssemblies().SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } field
                || field.GetRawConstantValue() is not string section
                || !section.StartsWith("Nscr", StringComparison.Ordinal))
            {
                continue;
            }
            sections.Add(section);
            // GcOptions has its own names (below): NSCR_UPLOAD_TIMEOUT, and no variable for the Retention list.
            if (type == typeof(GcOptions)) continue;
            var prefix = section == "Nscr" ? "NSCR_" : $"NSCR_{Snake(section["Nscr:".Length..].Replace(":", ""))}_";
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                names.Add(prefix + Snake(property.Name));
            }
        }
        // GcOptions is read by GcSettings from Nscr:Gc:* and Nscr:UploadTimeout.
        foreach (var property in typeof(GcOptions).GetProperties().Where(p => p.CanWrite && p.Name != nameof(GcOptions.Retention)))
        {
            names.Add(property.Name == nameof(GcOptions.UploadTimeout) ? "NSCR_UPLOAD_TIMEOUT" : "NSCR_GC_" + Snake(property.Name));
        }
        if (!sections.Contains("Nscr:S3"))
        {
            names.UnionWith(S3Contract);
        }
        return names;
    }

    private static IEnumerable<Assembly> NscrAssemblies()
    {
        var root = typeof(RegistryOptions).Assembly;
        return root.GetReferencedAssemblies()
            .Where(a => a.Name?.StartsWith("Nscr.", StringComparison.Ordinal) == true)
            .Select(Assembly.Load)
            .Append(root)
            .Distinct();
    }

    /// <summary>DataDir → DATA_DIR, S3 → S3, AccessKey → ACCESS_KEY.</summary>
    public static string Snake(string pascal) => WordBoundary().Replace(pascal, "$1_$2").ToUpperInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex WordBoundary();
}
