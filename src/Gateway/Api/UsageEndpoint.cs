namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/usage</c>: storage per repository (<c>sizeBytes</c> = everything its manifests stand on; <c>uniqueBytes</c>
/// = what no other repository uses, i.e. what deleting it would give back; <c>sharedBytes</c> = the rest) and totals,
/// including the stored bytes no manifest references (what GC cycles past the grace reclaim). Walks the whole catalog:
/// no pagination.
/// </summary>
public sealed class UsageEndpoint(RegistryCensus census)
{
    public async Task GetAsync(HttpContext context)
    {
        // A fresh listing: du is asked for rarely, and its totals must add up with what the repositories reference.
        var usage = await census.TakeAsync(context.RequestAborted, TimeSpan.Zero);
        var snapshot = usage.Snapshot;
        var unreferenced = usage.Unreferenced.ToArray();
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("repositories");
            foreach (var repository in usage.Repositories)
            {
                json.WriteStartObject();
                json.WriteString("name", repository.Name);
                json.WriteNumber("blobs", repository.Summary.Digests.Count);
                json.WriteNumber("sizeBytes", repository.SizeBytes);
                json.WriteNumber("uniqueBytes", repository.UniqueBytes);
                json.WriteNumber("sharedBytes", repository.SharedBytes);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("totals");
            json.WriteNumber("repositories", usage.Repositories.Count);
            json.WriteNumber("storedBlobs", snapshot.Sizes.Count);
            json.WriteNumber("storedBytes", snapshot.Bytes);
            json.WriteNumber("referencedBytes", usage.ReferencedBytes);
            json.WriteNumber("uniqueBytes", usage.Sizes.Where(s => usage.Owners[s.Key] == 1).Sum(s => s.Value));
            json.WriteNumber("sharedBytes", usage.Sizes.Where(s => usage.Owners[s.Key] > 1).Sum(s => s.Value));
            json.WriteNumber("unreferencedBlobs", unreferenced.Length);
            json.WriteNumber("unreferencedBytes", unreferenced.Sum(b => b.Value));
            json.WriteEndObject();
            json.WriteString("listedAt", snapshot.TakenAt.UtcDateTime);
            json.WriteEndObject();
        });
    }
}
