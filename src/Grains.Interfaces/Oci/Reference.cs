using System.Text.RegularExpressions;

namespace Nscr.Oci;

/// <summary>A manifest reference: either a tag or a digest.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.Reference")]
public sealed partial record Reference([property: Id(0)] string? Tag, [property: Id(1)] Digest? Digest)
{
    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagGrammar();

    public static bool IsValidTag(string? tag) => tag is not null && TagGrammar().IsMatch(tag);

    public bool IsDigest => Digest is not null;

    /// <exception cref="OciException">TAG_INVALID when <paramref name="tag"/> does not follow the tag grammar.</exception>
    public static string ValidTag(string tag) =>
        IsValidTag(tag) ? tag : throw new OciException(OciErrorCode.TagInvalid, $"invalid tag '{Oci.Digest.Truncate(tag)}'");

    public override string ToString() => Tag ?? Digest!.Value.ToString();

    public static Reference Parse(string value)
    {
        if (value.Contains(':'))
        {
            return new Reference(null, Oci.Digest.Parse(value));
        }
        return new Reference(ValidTag(value), null);
    }
}
