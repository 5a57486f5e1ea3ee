using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Oci;

/// <summary>
/// A manifest's descriptors must state the size of what they point at: a client trusts the size to read the blob
/// (and to reject a tampered one). The stored size of a digest never changes, so checking before the repository
/// commits is as good as checking inside its turn; absent content is left to the repository (MANIFEST_BLOB_UNKNOWN).
/// </summary>
public static class DeclaredSizes
{
    public static async Task VerifyAsync(IGrainFactory grains, ManifestContent content)
    {
        var checks = Fields(content).Select(async field =>
        {
            var stored = await grains.GetGrain<IBlobGrain>(field.Descriptor.Digest.ToString()).GetAsync();
            return stored is not null && stored.Size != field.Descriptor.Size ? (field.Name, stored.Size) : default((string Name, long Size)?);
        });
        var mismatch = (await Task.WhenAll(checks)).FirstOrDefault(m => m is not null);
        if (mismatch is { } m)
        {
            throw new OciException(OciErrorCode.ManifestInvalid, $"{m.Name}.size does not match the stored content's size {m.Size}");
        }
    }

    /// <summary>The descriptors the repository will hold the manifest to; foreign layers (with URLs) are not stored here.</summary>
    private static IEnumerable<(string Name, Descriptor Descriptor)> Fields(ManifestContent content)
    {
        if (content.Config is { } config) yield return ("config", config);
        for (var i = 0; i < content.Layers.Count; i++)
        {
            if (!content.Layers[i].HasUrls) yield return ($"layers[{i}]", content.Layers[i]);
        }
        for (var i = 0; i < content.Manifests.Count; i++) yield return ($"manifests[{i}]", content.Manifests[i]);
    }
}
