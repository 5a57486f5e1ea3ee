using System.Text.RegularExpressions;

namespace Nscr.Oci;

/// <summary>Repository name grammar from the OCI distribution spec, with the 255-character limit Docker enforces.</summary>
public static partial class RepositoryName
{
    public const int MaxLength = 255;

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && Grammar().IsMatch(name);

    public static string Validate(string? name) =>
        IsValid(name) ? name! : throw new OciException(OciErrorCode.NameInvalid, $"invalid repository name '{Digest.Truncate(name)}'");
}
