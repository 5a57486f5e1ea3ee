using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Nscr.Storage.S3;

/// <summary>Checks <see cref="S3Options"/> at start-up with messages that name the setting (never its secret value).</summary>
public sealed class S3OptionsValidator : IValidateOptions<S3Options>
{
    public ValidateOptionsResult Validate(string? name, S3Options options)
    {
        var problems = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            problems.AddRange(results.Select(result => $"{S3Options.Section}: {result.ErrorMessage}"));
        }
        if (!options.IsConfigured)
        {
            problems.Add($"{S3Options.Section}:Bucket (NSCR_S3_BUCKET) must be set to use the S3 blob store.");
        }
        else if (options.Bucket!.Length is < 3 or > 63 || options.Bucket.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')))
        {
            problems.Add($"{S3Options.Section}:Bucket '{options.Bucket}' is not a valid bucket name (3-63 characters of a-z, 0-9, '-', '.').");
        }
        if (!string.IsNullOrWhiteSpace(options.Endpoint)
            && !(Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            problems.Add($"{S3Options.Section}:Endpoint '{options.Endpoint}' is not an absolute http(s) URL.");
        }
        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            problems.Add($"{S3Options.Section}: AccessKey and SecretKey (NSCR_S3_ACCESS_KEY, NSCR_S3_SECRET_KEY) must be set together, or both left empty for the default credential chain.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
