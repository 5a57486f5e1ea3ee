namespace Nscr.Oci;

public static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OctetStream = "application/octet-stream";

    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsImageManifest(string mediaType) => mediaType is OciManifest or DockerManifest;

    public static bool IsManifest(string mediaType) => IsIndex(mediaType) || IsImageManifest(mediaType);

    /// <summary>Strips parameters (<c>; charset=…</c>) and whitespace from a Content-Type value.</summary>
    public static string Normalize(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return "";
        var semicolon = contentType.IndexOf(';');
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }
}
