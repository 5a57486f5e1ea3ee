using System.Collections;
using System.Reflection;
using System.Text;
using Nscr.Configuration;

namespace Nscr.Silo.Configuration;

/// <summary>How an <c>NSCR_*</c> variable gives a setting.</summary>
public enum NscrSettingShape
{
    /// <summary>One value.</summary>
    Scalar,

    /// <summary>A list of values, comma-separated in the variable (NSCR_AUTH_ADMINS=olga,group:ops).</summary>
    List,

    /// <summary>A list of objects or a map: only configuration files or ASP.NET's Nscr__Section__0__Key names can give it.</summary>
    Structured,
}

/// <summary>One setting of an options class: its documented variable name, its configuration key and its shape.</summary>
public sealed record NscrSetting(string Environment, string Key, NscrSettingShape Shape);

/// <summary>
/// The settings of every options class in the process, found by reflection: each type in an Nscr.* assembly with a
/// <c>public const string Section</c> starting with "Nscr", and its public settable properties. Shared by the
/// environment reader (which refuses names it does not know) and the configuration reference of the docs.
/// </summary>
public static class NscrSettingsCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, NscrSetting>> ByKeyValue = new(() =>
        OptionsTypes().SelectMany(t => Settings(t, SectionOf(t)!)).GroupBy(s => s.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase));

    /// <summary>Every setting of the process's options classes, by configuration key (case-insensitive, as configuration is).</summary>
    public static IReadOnlyDictionary<string, NscrSetting> ByKey => ByKeyValue.Value;

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

    /// <summary>The public settable properties of an options class, in declaration order.</summary>
    public static IEnumerable<PropertyInfo> SettableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).OrderBy(p => p.MetadataToken);

    public static string KeyOf(PropertyInfo property, string prefix) => property.GetCustomAttribute<SettingKeyAttribute>()?.Key ?? $"{prefix}:{property.Name}";

    /// <summary>Nscr:Gc:Grace → NSCR_GC_GRACE; keys inside lists use ASP.NET's own form: Nscr__Retention__0__Repository.</summary>
    public static string EnvironmentName(string key)
    {
        if (key.Contains(":<n>", StringComparison.Ordinal)) return key.Replace(":<n>", ":0", StringComparison.Ordinal).Replace(":", "__", StringComparison.Ordinal);
        return "NSCR_" + string.Join('_', key.Split(':').Skip(1).Select(Snake));
    }

    public static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;

    public static bool IsObject(Type type) => type.IsClass && type != typeof(string);

    private static IEnumerable<NscrSetting> Settings(Type type, string section)
    {
        foreach (var property in SettableProperties(type))
        {
            var element = ElementType(property.PropertyType);
            var shape = element is null ? NscrSettingShape.Scalar
                : IsObject(element) || IsMap(property.PropertyType) ? NscrSettingShape.Structured
                : NscrSettingShape.List;
            var key = KeyOf(property, section);
            yield return new(EnvironmentName(key), key, shape);
        }
    }

    private static bool IsMap(Type type) => type.IsGenericType && type.GetInterfaces().Append(type)
        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));

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
}
