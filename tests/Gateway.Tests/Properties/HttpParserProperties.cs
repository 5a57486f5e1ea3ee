using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Nscr.Gateway.Oci;
using Nscr.Gateway.Oci.Http;
using Nscr.Gateway.Security;
using Nscr.Storage;

namespace Nscr.Gateway.Tests.Properties;

/// <summary>Content-Range, Range, /v2/ paths, raw request targets and upload ids: valid inputs round-trip, arbitrary
/// text never throws and is never accepted against the grammar (written here independently).</summary>
[Properties(Arbitrary = [typeof(HttpGenerators)], MaxTest = 1000)]
public sealed class HttpParserProperties
{
    // RFC 9110 §14.4 (and the OCI spec's bare "start-end"): ASCII digits only.
    private static readonly Regex ContentRangeGrammar = new(
        @"^[\s]*(?:[Bb][Yy][Tt][Ee][Ss] [\s]*)?(?<start>[0-9]+)-(?<end>[0-9]+)(?:/(?<total>[0-9]+|\*))?[\s]*$", RegexOptions.CultureInvariant);

    private static readonly Regex StagingIdGrammar = new("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant);

    [Property]
    public Property ContentRange_RoundTrips(NonNegativeInt a, NonNegativeInt b, bool rfcForm, bool withTotal)
    {
        long start = Math.Min(a.Get, b.Get), end = Math.Max(a.Get, b.Get) + (long)int.MaxValue;
        var text = rfcForm ? $"bytes {start}-{end}/{(withTotal ? (end + 1).ToString() : "*")}" : $"{start}-{end}";
        return (ByteRange.TryParseContentRange(text, out var range) && range == new ByteRange(start, end) && range.Length == end - start + 1)
            .Label(text);
    }

    [Property]
    public Property ContentRange_AcceptsOnlyTheGrammar(RangeText text)
    {
        if (!ByteRange.TryParseContentRange(text.Value, out var range)) return true.ToProperty();
        var match = ContentRangeGrammar.Match(text.Value);
        var ok = match.Success && range.Start >= 0 && range.End >= range.Start && range.Length > 0
            && long.Parse(match.Groups["start"].Value) == range.Start && long.Parse(match.Groups["end"].Value) == range.End
            && (!match.Groups["total"].Success || match.Groups["total"].Value == "*" || long.Parse(match.Groups["total"].Value) > range.End);
        return ok.Label($"accepted '{text.Value}' as {range}");
    }

    [Property]
    public Property RequestRange_StaysInsideTheBlob(RangeText text, NonNegativeInt size)
    {
        var length = (long)size.Get;
        var request = ByteRange.ParseRequestRange(text.Value, length);
        var ok = request.Range is not { } r || (r.Start >= 0 && r.Start <= r.End && r.End < length && !request.IsUnsatisfiable);
        return ok.Label($"'{text.Value}' on {length} bytes gave {request}");
    }

    [Property]
    public Property RequestRange_RoundTrips(NonNegativeInt a, NonNegativeInt b, PositiveInt size)
    {
        long start = a.Get % size.Get, end = start + b.Get;
        var request = ByteRange.ParseRequestRange($"bytes={start}-{end}", size.Get);
        return (request.Range == new ByteRange(start, Math.Min(end, size.Get - 1L))).Label($"{start}-{end} of {size.Get}: {request}");
    }

    [Property]
    public Property Routes_RoundTrip(RouteCase route)
    {
        var parsed = OciRoute.Parse(route.Path);
        return (parsed.Resource == route.Resource && parsed.Name == route.Name && parsed.Argument == route.Argument).Label($"{route.Path} → {parsed}");
    }

    [Property]
    public bool Routes_NeverThrow(RangeText text) => OciRoute.Parse(text.Value).Resource >= OciResource.Base;

    [Property]
    public Property RawTargets_AcceptedHoldNoDotSegmentOrEncodedSeparator(RangeText text)
    {
        if (!RawTargetGuard.IsAcceptable(text.Value)) return true.ToProperty();
        var path = text.Value.Split('?')[0];
        var decoded = Regex.Replace(path, "%2[eE]", ".");
        var ok = !path.Contains('\\')
            && !Regex.IsMatch(path, "%(2[fF]|5[cC]|00)")
            && decoded.Split('/').All(segment => segment is not ("." or ".."));
        return ok.Label($"accepted '{text.Value}'");
    }

    [Property]
    public Property StagingIds_AcceptOnlyTheirAlphabet(RangeText text) =>
        (StagingIds.IsValid(text.Value) == StagingIdGrammar.IsMatch(text.Value) && !text.Value.EndsWith('\n') || !StagingIds.IsValid(text.Value))
            .Label(text.Value);
}

public sealed record RangeText(string Value)
{
    public override string ToString() => Value;
}

public sealed record RouteCase(string Path, OciResource Resource, string Name, string Argument);

public static class HttpGenerators
{
    private static readonly string[] Pieces =
    [
        "bytes", "bytes ", "bytes=", "0", "1", "5", "-", "--", "/", "*", ",", " ", "\t", "+", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "00", "\u0661", "%2e", "%2E", "%2f", "%5c", "%00", "%", ".", "..", "\\", "?", "a", "v2", "blobs", "uploads",
        "manifests", "tags/list", "sha256:", "\n",
    ];

    public static Arbitrary<RangeText> RangeText() =>
        Gen.Frequency(
            (4, Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Gen.Elements(Pieces), n)).Select(parts => string.Concat(parts))),
            (1, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null)))
        .Select(s => new RangeText(s)).ToArbitrary();

    public static Arbitrary<RouteCase> RouteCase()
    {
        var name = Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements("a", "team", "app", "x.y", "a-b", "a__b", "9"), n)).Select(c => string.Join('/', c));
        var argument = Gen.Elements("latest", "v1.0", "sha256:" + new string('a', 64), "0123abcd", "_x");
        return (from n in name
                from arg in argument
                from kind in Gen.Choose(0, 5)
                select kind switch
                {
                    0 => new RouteCase($"{n}/manifests/{arg}", OciResource.Manifest, n, arg),
                    1 => new RouteCase($"{n}/blobs/{arg}", OciResource.Blob, n, arg),
                    2 => new RouteCase($"{n}/blobs/uploads/", OciResource.UploadStart, n, ""),
                    3 => new RouteCase($"{n}/blobs/uploads/{arg}", OciResource.Upload, n, arg),
                    4 => new RouteCase($"{n}/tags/list", OciResource.Tags, n, ""),
                    _ => new RouteCase($"{n}/referrers/{arg}", OciResource.Referrers, n, arg),
                }).ToArbitrary();
    }
}
