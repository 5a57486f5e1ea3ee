using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text;
using Nscr.Configuration;
using Nscr.Silo.Configuration;

namespace Nscr.Gateway.Hosting;

/// <summary>One configuration setting as docs/configuration.md lists it.</summary>
public sealed record ConfigurationSetting(string Section, string Key, string Environment, string? Flag, string Default, string? Description, string Owner);

/// <summary>
/// Builds the configuration reference from the options classes by reflection: every type in an Nscr.* assembly with a
/// <c>public const string Section</c> starting with "Nscr", each public settable property with its
/// <see cref="DescriptionAttribute"/> and the default of a new instance. Lists of objects are expanded as
/// <c>Key:&lt;n&gt;:Property</c>. <c>NSCR_UPDATE_DOCS=1 dotnet test --filter ConfigurationReference</c> rewrites the doc.
/// </summary>
public static class ConfigurationReference
{
    public static IReadOnlyList<Type> OptionsTypes()
    {
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "Nscr.*.dll"))
        {
            var name = AssemblyName.GetAssemblyName(file);
            if (name.Name!.EndsWith(".Tests", StringComparison.Ordinal)) continue;
            if (AppDomain.CurrentDomain.GetAssemblies().All(a => a.GetName().Name != name.Name)) Assembly.Load(name);
        }
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name is { } n && n.StartsWith("Nscr.", StringComparison.Ordinal) && !n.EndsWith(".Tests", StringComparison.Ordinal))
            .SelectMany(a => a.GetTypes())
            .Where(t => SectionOf(t) is { } s && s.StartsWith("Nscr", StringComparison.Ordinal))
            .OrderBy(t => SectionOf(t), StringComparer.Ordinal).ThenBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
    }

    public static string? SectionOf(Type type) =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.FieldType == typeof(string)
            ? (string?)field.GetRawConstantValue()
            : null;

    public static IReadOnlyList<ConfigurationSetting> Settings()
    {
        var flags = NscrEnvironmentVariables.SwitchMappings().ToDictionary(m => m.Value, m => m.Key, StringComparer.OrdinalIgnoreCase);
        var settings = new List<ConfigurationSetting>();
        foreach (var type in OptionsTypes())
        {
            var section = SectionOf(type)!;
            Collect(type, section, section, type.Name, flags, settings);
        }
        return settings;
    }

    private static void Collect(Type type, string section, string prefix, string owner, Dictionary<string, string> flags, List<ConfigurationSetting> settings)
    {
        var defaults = CreateOrNull(type);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).OrderBy(p => p.MetadataToken))
        {
            var key = property.GetCustomAttribute<SettingKeyAttribute>()?.Key ?? $"{prefix}:{property.Name}";
            var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description;
            var value = defaults is null ? null : property.GetValue(defaults);
            var element = ElementType(property.PropertyType) is { } itemType && IsObject(itemType) ? itemType : null;
            var environment = element is null ? EnvironmentName(key) : EnvironmentName($"{key}:<n>") + "__…";
            settings.Add(new(section, key, environment, flags.GetValueOrDefault(key), Format(value), description, $"{owner}.{property.Name}"));
            if (element is not null) Collect(element, section, $"{key}:<n>", $"{owner}.{property.Name}[]", flags, settings);
        }
    }

    /// <summary>Nscr:Gc:Grace → NSCR_GC_GRACE; keys inside lists use ASP.NET's own form: Nscr__Retention__0__Repository.</summary>
    public static string EnvironmentName(string key)
    {
        if (key.Contains(":<n>", StringComparison.Ordinal)) return key.Replace(":<n>", ":0", StringComparison.Ordinal).Replace(":", "__", StringComparison.Ordinal);
        var parts = key.Split(':').Skip(1).Select(Snake);
        return "NSCR_" + string.Join('_', parts);
    }

    private static string Snake(string pascal)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && !char.IsUpper(pascal[i - 1])) builder.Append('_');
            builder.Append(char.ToUpperInvariant(pascal[i]));
        }
        return builder.ToString();
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;

    private static bool IsObject(Type type) => type.IsClass && type != typeof(string);

    private static object? CreateOrNull(Type type)
    {
        try
        {
            return Activator.CreateInstance(type);
        }
        catch (MissingMethodException)
        {
            return null;
        }
    }

    public static string Format(object? value) => value switch
    {
        null => "(none)",
        string { Length: 0 } => "(empty)",
        string text => text,
        bool flag => flag ? "true" : "false",
        TimeSpan span => FormatDuration(span),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => list.Cast<object?>().Any() ? string.Join(", ", list.Cast<object?>().Select(Format)) : "(none)",
        _ => value.ToString() ?? "",
    };

    private static string FormatDuration(TimeSpan span) =>
        span == TimeSpan.Zero ? "0"
        : span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? $"{span.TotalDays}d ({span:c})"
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours}h ({span:c})"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? $"{span.TotalMinutes}m ({span:c})"
        : span.TotalSeconds >= 1 && span.TotalSeconds % 1 == 0 ? $"{span.TotalSeconds}s ({span:c})"
        : $"{span.TotalMilliseconds}ms ({span:c})";

    /// <summary>The whole of docs/configuration.md.</summary>
    public static string Markdown(IReadOnlyList<ConfigurationSetting> settings)
    {
        var doc = new StringBuilder();
        doc.Append("""
            # Configuration reference

            <!-- Generated from the options classes (ConfigurationReference in src/Gateway/Hosting). Do not edit by hand:
                 NSCR_UPDATE_DOCS=1 dotnet test tests/Gateway.Tests --filter ConfigurationReference -->

            Every setting lives under the `Nscr` section of `appsettings.json` (next to the server binary) and can also be
            given as an environment variable or, for some, a command-line flag. Precedence, lowest first: `appsettings.json`,
            ASP.NET-style variables (`Nscr__Gc__Grace`), `NSCR_*` variables, flags. Any key can be given on the command line
            as `--Nscr:Key value`. Lists take an index: `Nscr__Webhooks__Endpoints__0__Url`. Durations read by the GC
            settings accept `0`, `90s`, `15m`, `1h`, `7d` or `01:00:00`; other durations take `hh:mm:ss`. Invalid settings
            stop the start-up with a message naming them.

            """);
        foreach (var group in settings.GroupBy(s => s.Section))
        {
            doc.Append(CultureInfo.InvariantCulture, $"\n## `{group.Key}`\n\n");
            doc.Append("| key | environment | flag | default | description |\n| --- | --- | --- | --- | --- |\n");
            foreach (var s in group)
            {
                doc.Append(CultureInfo.InvariantCulture,
                    $"| `{s.Key}` | `{s.Environment}` | {(s.Flag is null ? "" : $"`{s.Flag}`")} | {Cell(s.Default)} | {Cell(s.Description ?? "")} |\n");
            }
        }
        return doc.ToString().ReplaceLineEndings("\n");
    }

    private static string Cell(string text) => text
        .Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
