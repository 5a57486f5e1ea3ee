using System.Reflection;
using Nscr.Gateway.Hosting;
using Nscr.Grains;
using Nscr.Grains.Gc;
using Nscr.Silo.Sqlite;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/status</c>: version, mode (embedded or cluster), uptime, repository count, stored blobs and bytes (from a
/// listing at most <see cref="BlobInventory.MaxAge"/> old), the SQLite database size (embedded mode), and the GC: the
/// running cycle, the last one, the recent ones and when the next scheduled one is expected. Counts, the split of the
/// stored bytes into blobs and manifests and the unreferenced bytes come from a <see cref="Census"/> of every repository.
/// </summary>
public sealed class StatusEndpoint(IServiceProvider services, IGrainFactory grains, RegistryCensus census, RegistryOptions options, IConfiguration configuration, TimeProvider time)
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
        var usage = await census.TakeAsync(cancel);
        var snapshot = usage.Snapshot;
        var repositories = usage.Repositories.Count;
        var (manifestBlobs, manifestBytes) = (usage.StoredManifests.Count(), usage.StoredManifests.Sum(m => m.Value));
        var unreferenced = usage.Unreferenced.ToArray();
        var gc = await grains.GetGrain<IGarbageCollectorGrain>(0).GetStatusAsync();
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
            json.WriteNumber("repositories", repositories);
            json.WriteStartObject("counts");
            json.WriteNumber("repositories", repositories);
            json.WriteNumber("tags", usage.Repositories.Sum(r => (long)r.Summary.Tags));
            json.WriteNumber("manifests", usage.Repositories.Sum(r => (long)r.Summary.Manifests));
            json.WriteNumber("blobs", snapshot.Sizes.Count - manifestBlobs);
            json.WriteEndObject();
            json.WriteStartObject("storage");
            json.WriteNumber("blobs", snapshot.Sizes.Count);
            json.WriteNumber("bytes", snapshot.Bytes);
            json.WriteNumber("blobBytes", snapshot.Bytes - manifestBytes);
            json.WriteNumber("manifestBytes", manifestBytes);
            json.WriteNumber("unreferencedBlobs", unreferenced.Length);
            json.WriteNumber("unreferencedBytes", unreferenced.Sum(b => b.Value));
            json.WriteString("listedAt", snapshot.TakenAt.UtcDateTime);
            if (databaseBytes is { } size) json.WriteNumber("databaseBytes", size);
            else json.WriteNull("databaseBytes");
            json.WriteEndObject();
            json.WriteStartObject("uploads");
            json.WriteNumber("inFlight", snapshot.StagedObjects);
            json.WriteNumber("stagedBytes", snapshot.StagedBytes);
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
