using System.Text.Json;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>A locally built image. <paramref name="Id"/> is its config digest (what podman and docker call
/// the image ID); <paramref name="UniqueContent"/> is the content of its <see cref="Images.UniqueFilePath"/>.</summary>
public sealed record BuiltImage(string Name, string Id, string Architecture, byte[] UniqueContent);

/// <summary>Builds small runnable images without internet: busybox plus a file of fresh random bytes,
/// so every image has layers no registry (or client blob cache) has seen before.</summary>
public static class Images
{
    /// <summary>Where the random file lives inside every built image.</summary>
    public const string UniqueFilePath = "e2e/unique.bin";

    private const int UniqueFileBytes = 64 * 1024;

    public static async Task<BuiltImage> BuildAsync(
        ContainerStorage storage, string name, CancellationToken cancellationToken, string architecture = "amd64")
    {
        Directory.CreateDirectory(storage.WorkDirectory);
        var uniqueFile = Path.Combine(storage.WorkDirectory, $"unique-{Guid.NewGuid():N}.bin");
        var uniqueContent = RandomBytes(UniqueFileBytes);
        await File.WriteAllBytesAsync(uniqueFile, uniqueContent, cancellationToken);

        var container = LastLine(await storage.BuildahAsync(cancellationToken,
            "from", "--arch", architecture, "--os", "linux", "scratch"));
        await storage.BuildahAsync(cancellationToken, "copy", container, "/bin/busybox", "/bin/busybox");
        await storage.BuildahAsync(cancellationToken, "copy", container, uniqueFile, "/" + UniqueFilePath);
        await storage.BuildahAsync(cancellationToken, "config", "--arch", architecture, "--os", "linux",
            "--entrypoint", """["/bin/busybox"]""", "--cmd", "sh", container);
        var id = LastLine(await storage.BuildahAsync(cancellationToken, "commit", "--quiet", "--rm", container, name));
        File.Delete(uniqueFile);
        return new BuiltImage(name, "sha256:" + id.Replace("sha256:", ""), architecture, uniqueContent);
    }

    /// <summary>Writes the image to an OCI image layout directory under <paramref name="tag"/>.</summary>
    public static async Task<OciLayout> ExportAsync(
        ContainerStorage storage, BuiltImage image, string layoutDirectory, string tag, CancellationToken cancellationToken)
    {
        await storage.BuildahAsync(cancellationToken, "push", "--quiet", image.Name, $"oci:{layoutDirectory}:{tag}");
        return new OciLayout(layoutDirectory);
    }

    public static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static string LastLine(ToolResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault() ?? throw new InvalidOperationException($"no output: {result}");
}

/// <summary>An OCI image layout on disk (index.json + blobs/sha256/…).</summary>
public sealed class OciLayout(string directory)
{
    public string Directory { get; } = directory;

    public string ReferenceFor(string tag) => $"oci:{Directory}:{tag}";

    /// <summary>The manifest digest index.json records for <paramref name="tag"/>.</summary>
    public string ManifestDigest(string tag)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "index.json")));
        foreach (var manifest in index.RootElement.GetProperty("manifests").EnumerateArray())
        {
            if (manifest.TryGetProperty("annotations", out var annotations)
                && annotations.TryGetProperty("org.opencontainers.image.ref.name", out var name)
                && name.GetString() == tag)
            {
                return manifest.GetProperty("digest").GetString()!;
            }
        }
        throw new KeyNotFoundException($"tag {tag} not in {Directory}/index.json");
    }

    /// <summary>Blob file name (the hex digest) → bytes, for every blob in the layout.</summary>
    public IReadOnlyDictionary<string, byte[]> ReadBlobs() =>
        System.IO.Directory.EnumerateFiles(Path.Combine(Directory, "blobs", "sha256"))
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);
}
