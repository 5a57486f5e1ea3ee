using System.Text.RegularExpressions;

namespace Nscr.Gateway.Oci;

public enum OciResource
{
    Base,
    Catalog,
    Tags,
    Manifest,
    Blob,
    UploadStart,
    Upload,
    Referrers,
    Unknown,
}

/// <summary>
/// The one parser of /v2/ paths. Repository names contain '/', so the resource is recognised by its suffix;
/// the name is validated afterwards by the spec's grammar (Singleline: a decoded %0A in a name must reach that
/// check and be NAME_INVALID, not make the path unrecognisable).
/// </summary>
public readonly partial record struct OciRoute(OciResource Resource, string Name, string Argument)
{
    [GeneratedRegex(@"^(?<name>.+)/(?:(?<start>blobs/uploads)/?|blobs/uploads/(?<upload>[^/]+)|(?<kind>manifests|blobs|referrers)/(?<arg>[^/]+)|(?<tags>tags/list))\z",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Singleline)]
    private static partial Regex Shape();

    public static OciRoute Parse(string? pathAfterV2)
    {
        var path = pathAfterV2 ?? "";
        if (path.Length == 0 || path == "/") return new(OciResource.Base, "", "");
        if (path is "_catalog" or "_catalog/") return new(OciResource.Catalog, "", "");
        var match = Shape().Match(path);
        if (!match.Success) return new(OciResource.Unknown, "", "");
        var name = match.Groups["name"].Value;
        if (match.Groups["upload"].Success) return new(OciResource.Upload, name, match.Groups["upload"].Value);
        if (match.Groups["start"].Success) return new(OciResource.UploadStart, name, "");
        if (match.Groups["tags"].Success) return new(OciResource.Tags, name, "");
        var argument = match.Groups["arg"].Value;
        return match.Groups["kind"].Value switch
        {
            "manifests" => new(OciResource.Manifest, name, argument),
            "blobs" => new(OciResource.Blob, name, argument),
            _ => new(OciResource.Referrers, name, argument),
        };
    }
}
