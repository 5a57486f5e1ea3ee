using System.Text.Json;
using Nscr.Gateway.Oci;
using Nscr.Grains;
using Nscr.Oci;
using Nscr.Storage;

namespace Nscr.Gateway.Api;

/// <summary>Manifest bodies for the admin API (platforms of an index, the manifest shown by inspect), through the manifest cache.</summary>
public sealed class ManifestBodies(IBlobStore store, ManifestCache cache)
{
    /// <summary>The stored body, or null when it is gone (collected meanwhile).</summary>
    public async Task<byte[]?> ReadAsync(ManifestRecord manifest, CancellationToken cancellationToken)
    {
        if (cache.TryGet(manifest.Digest, out var cached)) return cached;
        await using var stream = await store.OpenReadAsync(manifest.Digest, 0, cancellationToken);
        if (stream is null) return null;
        var body = new byte[manifest.Size];
        await stream.ReadExactlyAsync(body, cancellationToken);
        cache.Add(manifest.Digest, body);
        return body;
    }

    /// <summary>The parsed body (null when gone or not parsable: it was valid when pushed, so only for an unknown future format).</summary>
    public async Task<ManifestContent?> ParseAsync(ManifestRecord manifest, CancellationToken cancellationToken)
    {
        if (await ReadAsync(manifest, cancellationToken) is not { } body) return null;
        try
        {
            return ManifestParser.Parse(body, manifest.MediaType);
        }
        catch (OciException)
        {
            return null;
        }
    }

    /// <summary>The platforms an index lists (empty for an image manifest).</summary>
    public async Task<IReadOnlyList<Descriptor>> PlatformEntriesAsync(ManifestRecord manifest, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsIndex(manifest.MediaType)) return [];
        var content = await ParseAsync(manifest, cancellationToken);
        return content?.Manifests.Where(m => m.Platform is not null).ToArray() ?? [];
    }

    public static void WritePlatform(Utf8JsonWriter json, Platform platform)
    {
        json.WriteString("os", platform.Os);
        json.WriteString("architecture", platform.Architecture);
        if (platform.Variant is { } variant) json.WriteString("variant", variant);
        else json.WriteNull("variant");
    }
}
