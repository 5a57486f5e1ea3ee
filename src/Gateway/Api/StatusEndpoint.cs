using System.Reflection;
using Nscr.Gateway.Hosting;
using Nscr.Grains;
using Nscr.Grains.Gc;
using Nscr.Silo.Sqlite;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/status</c>: version, mode (embedded or cluster), uptime, repository, tag and manifest counts (from the
/// counts the repository grains keep), stored blobs and bytes split into manifests and the rest, and the unreferenced
/// ones (from the blob rows, taken after the request), uploads in flight, the SQLite database
/// size (embedded mode), and the GC: the running cycle, the last one, the recent ones and when the next is expected.
/// </summary>
public sealed class StatusEndpoint(IServiceProvider services, IGrainFactory grains, RegistryFigures figures, RegistryOptions options, IConfiguration configuration, TimeProvider time)
{
    public static readonly string Version =
        typeof(StatusEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>GC reports in <c>gc.history</c>, newest first.</summary>
    private const int HistoryShown = 10;

    private readonly DateTimeOffset startedAt = time.GetUtcNow();

    /// <summary>"cluster" when a PostgreSQL connection string is configured (<c>NSCR_POSTGRES</c>), else "embedded".</summary>
    private string Mode => string.IsNullOrEmpty(configuration[$"{RegistryOptions.Section}:Postgres"]) ? "embedded" : "cluster";

    public async Task GetAsync(HttpContext context)
    {
        var cancel = context.RequestAborted;
        // Independent reads, in parallel: the answer takes as long as the slowest.
        var countsRead = grains.GetGrain<ICatalogGrain>(0).CountAsync();
        // Taken after the request (concurrent polls share one): figures a metrics refresh took a moment earlier could
        // miss a push the caller has just made. The silo keeps the blob pass until the store changes, so this is cheap.
        var storedRead = figures.Stored.TakeAsync(TimeSpan.Zero, cancel);
        var stagedRead = figures.Staged.TakeAsync(TimeSpan.Zero, cancel);
        var gcRead = grains.GetGrain<IGarbageCollectorGrain>(0).GetStatusAsync();
        var (counts, stored, staged, gc) = (await countsRead, await storedRead, (await stagedRead).Value, await gcRead);
        var blobs = stored.Value;
        var gcOptions = services.GetService<GcOptions>();
        var now = time.GetUtcNow();
        var mode = Mode;
        long? databaseBytes = mode == "embedded" ? DatabaseBytes() : null;
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("version", Version);
            json.WriteString("mode", mode);
            json.WriteString("startedAt", startedAt.UtcDateTime);
            json.WriteNumber("uptimeSeconds", (long)(now - startedAt).TotalSeconds);
            json.WriteNumber("repositories", counts.Repositories);
            json.WriteStartObject("counts");
            json.WriteNumber("repositories", counts.Repositories);
            json.WriteNumber("tags", counts.Tags);
            json.WriteNumber("manifests", counts.Manifests);
            json.WriteNumber("blobs", blobs.Blobs - blobs.ManifestBlobs);
            json.WriteEndObject();
            json.WriteStartObject("storage");
            json.WriteNumber("blobs", blobs.Blobs);
            json.WriteNumber("bytes", blobs.Bytes);
            json.WriteNumber("blobBytes", blobs.Bytes - blobs.ManifestBytes);
            json.WriteNumber("manifestBytes", blobs.ManifestBytes);
            json.WriteNumber("unreferencedBlobs", blobs.UnreferencedBlobs);
            json.WriteNumber("unreferencedBytes", blobs.UnreferencedBytes);
            json.WriteString("listedAt", stored.TakenAt.UtcDateTime);
            if (databaseBytes is { } size) json.WriteNumber("databaseBytes", size);
            else json.WriteNull("databaseBytes");
            json.WriteEndObject();
            json.WriteStartObject("uploads");
            json.WriteNumber("inFlight", staged.Objects);
            json.WriteNumber("stagedBytes", staged.Bytes);
            json.WriteEndObject();
            json.WriteStartObject("gc");
            json.WritePropertyName("running");
            if (gc.Running is { } running) GcReportJson.Write(json, running, now);
            else json.WriteNullValue();
            json.WritePropertyName("last");
            if (gc.History.FirstOrDefault() is { } last) GcReportJson.Write(json, last, now);
            else json.WriteNullValue();
            json.WriteStartArray("history");
            foreach (var report in gc.History.Take(HistoryShown)) GcReportJson.Write(json, report, now);
            json.WriteEndArray();
            if (gcOptions is null)
            {
                json.WriteNull("intervalSeconds");
                json.WriteNull("nextCycleAt");
            }
            else
            {
                json.WriteNumber("intervalSeconds", (long)gcOptions.Interval.TotalSeconds);
                json.WriteString("nextCycleAt", NextCycle(gc, gcOptions.Interval, now).UtcDateTime);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    /// <summary>
    /// An estimate: the reminder fires one interval after the last scheduled cycle started (or after this process
    /// registered it), the first instant after now on that schedule.
    /// </summary>
    private DateTimeOffset NextCycle(GcOverview gc, TimeSpan interval, DateTimeOffset now)
    {
        var lastScheduled = new[] { gc.Running }.Concat(gc.History)
            .Where(r => r is { Trigger: "reminder" })
            .Select(r => r!.StartedAt)
            .DefaultIfEmpty(startedAt)
            .Max();
        if (interval <= TimeSpan.Zero) return now;
        var next = lastScheduled + interval;
        if (next < now) next += interval * Math.Ceiling((now - next) / interval);
        return next;
    }

    private long DatabaseBytes()
    {
        var path = Path.Combine(options.DataDir, SqliteDatabase.FileName);
        return new[] { path, path + "-wal" }.Select(p => new FileInfo(p)).Where(f => f.Exists).Sum(f => f.Length);
    }
}
