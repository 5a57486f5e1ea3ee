namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>A private containers/storage root for podman, buildah and skopeo, so parallel tests and
/// other users of the machine never see (or clobber) each other's images. vfs needs no mounts, so
/// deleting the directory removes every image in it.</summary>
public sealed class ContainerStorage : IDisposable
{
    private readonly TempDirectory _directory = new("storage");

    public string Root => _directory.Combine("root");

    public string RunRoot => _directory.Combine("run");

    public string WorkDirectory => _directory.Combine("work");

    /// <summary>Global flags shared by buildah and podman.</summary>
    public IReadOnlyList<string> StorageFlags => ["--root", Root, "--runroot", RunRoot, "--storage-driver", "vfs"];

    /// <summary>podman also keeps run-time state and events outside the storage root unless told otherwise.</summary>
    public IReadOnlyList<string> PodmanFlags =>
        [.. StorageFlags, "--tmpdir", _directory.Combine("podman-tmp"), "--events-backend", "none"];

    /// <summary>A skopeo reference to an image in this storage.</summary>
    public string SkopeoReference(string image) => $"containers-storage:[vfs@{Root}+{RunRoot}]{image}";

    public Task<ToolResult> BuildahAsync(CancellationToken cancellationToken, params string[] arguments) =>
        Tool.RunCheckedAsync("buildah", [.. StorageFlags, .. arguments], cancellationToken);

    public Task<ToolResult> PodmanAsync(CancellationToken cancellationToken, params string[] arguments) =>
        Tool.RunCheckedAsync("podman", [.. PodmanFlags, .. arguments], cancellationToken);

    public void Dispose() => _directory.Dispose();
}
