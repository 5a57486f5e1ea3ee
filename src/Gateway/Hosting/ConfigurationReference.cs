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
    public static IReadOnlyList<Type> OptionsTypes() => NscrSettingsCatalog.OptionsTypes();

    public static string? SectionOf(Type type) => NscrSettingsCatalog.SectionOf(type);

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
        foreach (var property in NscrSettingsCatalog.SettableProperties(type))
        {
            var key = NscrSettingsCatalog.KeyOf(property, prefix);
            var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description;
            var value = defaults is null ? null : property.GetValue(defaults);
            var element = ElementType(property.PropertyType) is { } itemType && IsObject(itemType) ? itemType : null;
            var environment = element is null ? EnvironmentName(key) : EnvironmentName($"{key}:<n>") + "__…";
            settings.Add(new(section, key, environment, flags.GetValueOrDefault(key), Format(value), description, $"{owner}.{property.Name}"));
            if (element is not null) Collect(element, section, $"{key}:<n>", $"{owner}.{property.Name}[]", flags, settings);
        }
    }

    /// <summary>Nscr:Gc:Grace → NSCR_GC_GRACE; keys inside lists use ASP.NET's own form: Nscr__Retention__0__Repository.</summary>
    public static string EnvironmentName(string key) => NscrSettingsCatalog.EnvironmentName(key);

    private static Type? ElementType(Type type) => NscrSettingsCatalog.ElementType(type);

    private static bool IsObject(Type type) => NscrSettingsCatalog.IsObject(type);

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
            as `--Nscr:Key value`. A list of values takes comma-separated items in its `NSCR_*` variable
            (`NSCR_AUTH_ADMINS=olga,group:ops`) or an index in the ASP.NET form (`Nscr__Auth__Admins__0`); lists of objects
            and maps take only the indexed form: `Nscr__Webhooks__Endpoints__0__Url`. Durations read by the GC
            settings accept `0`, `90s`, `15m`, `1h`, `7d` or `01:00:00`; other durations take `hh:mm:ss`. Invalid settings
            stop the start-up with a message naming them, and so does an `NSCR_*` variable the server does not know (a
            typo would otherwise be silently ignored); the CLI's `NSCR_URL`, `NSCR_USERNAME` and `NSCR_PASSWORD` may share
            its environment. The standalone `Nscr.Silo` program, which does not load the gateway, refuses none.

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
