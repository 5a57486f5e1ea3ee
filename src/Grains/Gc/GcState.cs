namespace Nscr.Grains.Gc;

[GenerateSerializer]
[Alias("nscr.GcState")]
public sealed class GcState
{
    /// <summary>Id of the last cycle started.</summary>
    [Id(0)] public long LastId { get; set; }

    /// <summary>Summaries of the recent cycles, newest first, without their item lists.</summary>
    [Id(1)] public List<GcReport> History { get; set; } = [];

    /// <summary>Deleted repositories whose links the next cycle prunes from the blobs that stay.</summary>
    [Id(2)] public List<DeletedRepository> DeletedRepositories { get; set; } = [];

    /// <summary>Rules saved through the admin API: they replace the configured ones (every silo's) until reset; null = configuration.</summary>
    [Id(3)] public SavedRetention? Retention { get; set; }
}

[GenerateSerializer, Immutable]
[Alias("nscr.DeletedRepository")]
public sealed record DeletedRepository([property: Id(0)] string Name, [property: Id(1)] DateTimeOffset DeletedAt);

[GenerateSerializer, Immutable]
[Alias("nscr.SavedRetention")]
public sealed record SavedRetention([property: Id(0)] IReadOnlyList<RetentionRule> Rules, [property: Id(1)] DateTimeOffset UpdatedAt);
