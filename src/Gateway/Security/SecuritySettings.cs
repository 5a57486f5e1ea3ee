using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;
using Nscr.Gateway.Hosting;
using Nscr.Silo.Configuration;

namespace Nscr.Gateway.Security;

/// <summary>The validated TLS, limits and rate-limit settings of one process.</summary>
public sealed record SecuritySettings(TlsOptions Tls, LimitsOptions Limits, RateLimitOptions RateLimit)
{
    /// <summary>Reads and validates the three sections; durations accept "90s", "15m", "1h", "01:00:00".
    /// Fails start-up with every problem named.</summary>
    public static SecuritySettings Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var tls = Bind<TlsOptions>(configuration, TlsOptions.Section, problems);
        var limits = Bind<LimitsOptions>(configuration, LimitsOptions.Section, problems);
        var rateLimit = Bind<RateLimitOptions>(configuration, RateLimitOptions.Section, problems);
        problems.AddRange(limits.Validate());
        problems.AddRange(rateLimit.Validate());
        if (problems.Count > 0) throw new OptionsValidationException(RegistryOptions.Section, typeof(SecuritySettings), problems);
        return new SecuritySettings(tls, limits, rateLimit);
    }

    /// <summary>Sets each writable property from its key (unknown keys are ignored), then applies DataAnnotations.</summary>
    private static T Bind<T>(IConfiguration configuration, string section, List<string> problems) where T : new()
    {
        var options = new T();
        var values = configuration.GetSection(section);
        var shortSection = section[(RegistryOptions.Section.Length + 1)..];
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var text = values[property.Name];
            if (string.IsNullOrWhiteSpace(text)) continue;
            text = text.Trim();
            if (TryConvert(text, property.PropertyType, out var value)) property.SetValue(options, value);
            else problems.Add($"{shortSection}:{property.Name} '{text}' is not a valid {Describe(property.PropertyType)}.");
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            problems.AddRange(results.Select(r => $"{shortSection}: {r.ErrorMessage}"));
        }
        return options;
    }

    private static bool TryConvert(string text, Type type, out object? value)
    {
        value = null;
        if (type == typeof(string)) value = text;
        else if (type == typeof(TimeSpan) && GcSettings.TryParseDuration(text, out var duration)) value = duration;
        else if (type == typeof(int) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i)) value = i;
        else if (type == typeof(long) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var l)) value = l;
        else if (type == typeof(bool) && bool.TryParse(text, out var b)) value = b;
        return value is not null;
    }

    private static string Describe(Type type) =>
        type == typeof(TimeSpan) ? "duration (examples: 30s, 2m, 00:00:30)" : type == typeof(bool) ? "true or false" : type == typeof(string) ? "text" : "whole number";
}
