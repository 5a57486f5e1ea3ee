namespace Nscr.Grains.Gc;

/// <summary>The running counts and item lists of one cycle; only touched on the GC grain's scheduler (one thread at a time).</summary>
internal sealed class GcTally
{
    /// <summary>Each item list and the error list keep at most this many entries; the counts go on.</summary>
    public const int ListCap = 1000;

    public int Repositories;
    public int Marked;
    public int ScannedBlobs;
    public int DeletedTags;
    public int DeletedManifests;
    public int DeletedBlobs;
    public int RefusedBlobs;
    public int DeletedOrphanFiles;
    public int ExpiredUploads;
    public int DroppedRepositories;
    public int PrunedLinks;
    public long BytesReclaimed;

    public List<string> Tags { get; } = [];
    public List<string> Manifests { get; } = [];
    public List<string> Blobs { get; } = [];
    public List<string> Uploads { get; } = [];
    public List<string> OrphanFiles { get; } = [];
    public List<string> Errors { get; } = [];

    public int ErrorCount { get; private set; }

    public static void Add(List<string> list, string item)
    {
        if (list.Count < ListCap) list.Add(item);
    }

    public void AddError(string error)
    {
        ErrorCount++;
        Add(Errors, error);
    }

    public GcReport ToReport(GcReport identity, GcCycleState state, DateTimeOffset? finishedAt) => identity with
    {
        State = state,
        FinishedAt = finishedAt,
        Repositories = Repositories,
        Marked = Marked,
        ScannedBlobs = ScannedBlobs,
        DeletedTags = DeletedTags,
        DeletedManifests = DeletedManifests,
        DeletedBlobs = DeletedBlobs,
        RefusedBlobs = RefusedBlobs,
        DeletedOrphanFiles = DeletedOrphanFiles,
        ExpiredUploads = ExpiredUploads,
        DroppedRepositories = DroppedRepositories,
        PrunedLinks = PrunedLinks,
        BytesReclaimed = BytesReclaimed,
        Errors = [.. Errors],
        Items = new GcItems([.. Tags], [.. Manifests], [.. Blobs], [.. Uploads], [.. OrphanFiles]),
    };
}
