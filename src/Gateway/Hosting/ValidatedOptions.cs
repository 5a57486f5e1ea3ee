using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Nscr.Gateway.Hosting;

/// <summary>Binds an options class from its section and validates its DataAnnotations, failing start-up with a message naming the bad keys.</summary>
public static class ValidatedOptions
{
    public static T Read<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        Validate(options, section);
        return options;
    }

    public static void Validate<T>(T options, string section) where T : class
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(section, typeof(T), results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
