using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Nscr.Oci;

namespace Nscr.Grains.Interfaces.Tests.Properties;

/// <summary>
/// Names, tags and digests: every generated valid value is accepted and round-trips; for hostile text the parsers
/// never throw anything but their documented OciException, and never accept what the spec's grammar (written here
/// again, independently of the production regexes) refuses.
/// </summary>
[Properties(Arbitrary = [typeof(OciGenerators)], MaxTest = 1000)]
public sealed class GrammarProperties
{
    // distribution-spec: <name> = [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*
    private static readonly Regex SpecName = new(
        "^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant);

    // distribution-spec: <reference> as a tag = [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}
    private static readonly Regex SpecTag = new("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant);

    // image-spec descriptor: registered algorithms sha256 (64 lower hex) and sha512 (128 lower hex).
    private static readonly Regex SpecDigest = new("^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$", RegexOptions.CultureInvariant);

    private static bool Full(Regex regex, string text) => regex.Match(text) is { Success: true } m && m.Length == text.Length && !text.EndsWith('\n');

    [Property]
    public bool ValidNames_AreAccepted(ValidName name) =>
        RepositoryName.IsValid(name.Value) && RepositoryName.Validate(name.Value) == name.Value;

    [Property]
    public Property HostileNames_AreRejectedUnlessTheSpecAllowsThem(HostileText text)
    {
        var accepted = RepositoryName.IsValid(text.Value);
        var thrown = Throws(() => RepositoryName.Validate(text.Value), OciErrorCode.NameInvalid);
        var spec = text.Value.Length is > 0 and <= 255 && Full(SpecName, text.Value);
        return (accepted == spec && thrown == !accepted).Label($"accepted={accepted} spec={spec} threw={thrown}");
    }

    [Property]
    public bool ValidTags_RoundTrip(ValidTag tag)
    {
        var reference = Reference.Parse(tag.Value);
        return reference.Tag == tag.Value && !reference.IsDigest && reference.ToString() == tag.Value;
    }

    [Property]
    public Property HostileReferences_ThrowOnlyTagOrDigestInvalid_AndAcceptOnlyTheGrammar(HostileText text)
    {
        Reference? reference = null;
        OciException? error = null;
        try
        {
            reference = Reference.Parse(text.Value);
        }
        catch (OciException e)
        {
            error = e;
        }
        if (error is not null)
        {
            return (error.Code is OciErrorCode.TagInvalid or OciErrorCode.DigestInvalid).Label($"code {error.Code}");
        }
        var ok = reference!.IsDigest ? Full(SpecDigest, text.Value) : Full(SpecTag, text.Value);
        return ok.Label($"accepted '{text.Value}' as {(reference.IsDigest ? "digest" : "tag")}");
    }

    [Property]
    public bool ValidDigests_RoundTrip(DigestText text)
    {
        var digest = Digest.Parse(text.ToString());
        return digest.Algorithm == text.Algorithm && digest.Hex == text.Hex && digest.ToString() == text.ToString()
            && Reference.Parse(text.ToString()).Digest == digest;
    }

    [Property]
    public Property HostileDigests_AreRejectedUnlessSupported(HostileText text)
    {
        var accepted = Digest.TryParse(text.Value, out var digest);
        var thrown = Throws(() => Digest.Parse(text.Value), OciErrorCode.DigestInvalid);
        var spec = Full(SpecDigest, text.Value);
        var unsupported = Digest.IsUnsupportedAlgorithm(text.Value);
        return (accepted == spec && thrown == !accepted && (!accepted || digest.ToString() == text.Value) && !(accepted && unsupported))
            .Label($"accepted={accepted} spec={spec} threw={thrown} unsupported={unsupported}");
    }

    [Property]
    public bool ComputedDigests_ParseBack(byte[] content, bool sha512)
    {
        var digest = Digest.Compute(content ?? [], sha512 ? Digest.Sha512 : Digest.Sha256);
        return Digest.Parse(digest.ToString()) == digest && Full(SpecDigest, digest.ToString());
    }

    /// <summary>True when <paramref name="action"/> threw an OciException with <paramref name="code"/>; false when it
    /// returned; any other exception fails the property.</summary>
    private static bool Throws(Action action, OciErrorCode code)
    {
        try
        {
            action();
            return false;
        }
        catch (OciException e) when (e.Code == code)
        {
            return true;
        }
    }
}
