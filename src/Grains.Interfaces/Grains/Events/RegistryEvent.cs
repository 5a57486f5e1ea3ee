namespace Nscr.Grains.Events;

/// <summary>What happened to a repository or the store: a manifest pushed, something deleted, a GC cycle started or ended.</summary>
[GenerateSerializer]
[Alias("nscr.RegistryEventType")]
public enum RegistryEventType
{
    Push,
    Delete,
    Gc,
}

/// <summary>What a delete removed.</summary>
[GenerateSerializer]
[Alias("nscr.DeleteTarget")]
public enum DeleteTarget
{
    Tag,
    Manifest,
    Repository,
}

/// <summary>
/// One registry event as every gateway sees it (live feed, webhooks). <see cref="Origin"/> names the process that saw it
/// happen: a gateway skips the copy the cluster sends back to it, because it already has it.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("nscr.RegistryEvent")]
public sealed record RegistryEvent
{
    [Id(0)] public RegistryEventType Type { get; init; }
    [Id(1)] public DateTimeOffset Time { get; init; }
    [Id(2)] public string Origin { get; init; } = "";
    [Id(3)] public string? Repository { get; init; }
    /// <summary>Push: the tag or digest as pushed; delete: the tag, digest or repository name deleted.</summary>
    [Id(4)] public string? Reference { get; init; }
    [Id(5)] public string? Digest { get; init; }
    [Id(6)] public string? MediaType { get; init; }
    [Id(7)] public long SizeBytes { get; init; }
    [Id(8)] public DeleteTarget Target { get; init; }
    /// <summary>GC: the cycle's report (without its item lists); running while it has just started.</summary>
    [Id(9)] public GcReport? Gc { get; init; }

    public static RegistryEvent Pushed(DateTimeOffset time, string repository, string reference, string digest, string mediaType, long sizeBytes) =>
        new() { Type = RegistryEventType.Push, Time = time, Repository = repository, Reference = reference, Digest = digest, MediaType = mediaType, SizeBytes = sizeBytes };

    public static RegistryEvent Deleted(DateTimeOffset time, string repository, DeleteTarget target, string reference) =>
        new() { Type = RegistryEventType.Delete, Time = time, Repository = repository, Target = target, Reference = reference };

    public static RegistryEvent Collection(DateTimeOffset time, GcReport report) =>
        new() { Type = RegistryEventType.Gc, Time = time, Gc = report with { Items = null } };
}
