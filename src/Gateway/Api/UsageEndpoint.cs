using Nscr.Grains;
using Nscr.Oci;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>GET /api/usage</c>: storage per repository (<c>sizeBytes</c> = everything its manifests stand on; <c>uniqueBytes</c>
/// = what no other repository uses, i.e. what deleting it would give back; <c>sharedBytes</c> = the rest) and totals,
/// including the stored bytes no manifest references (what GC cycles past the grace reclaim). Walks the whole catalog:
/// no pagination.
/// </summary>
public sealed class UsageEndpoint(IGrainFactory grains, BlobInventory inventory)
{
    private const int Parallelism = 16;

    public async Task GetAsync(HttpContext context)
    {
        var cancel = context.RequestAborted;
        // A fresh listing: du is asked for rarely, and its totals must add up with what the repositories reference.
        var snapshot = await inventory.GetAsync(cancel, TimeSpan.Zero);
        var names = await grains.GetGrain<ICatalogGrain>(0).ListAllAsync();
        var digestsByRepository = new (string Name, IReadOnlyList<Digest> Digests)[names.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancel },
            async (i, _) => digestsByRepository[i] = (names[i], await grains.GetGrain<IRepositoryGrain>(names[i]).ReferencedDigestsAsync()));

        var owners = new Dictionary<Digest, int>();
        foreach (var (_, digests) in digestsByRepository)
        {
            foreach (var digest in digests) owners[digest] = owners.GetValueOrDefault(digest) + 1;
        }
        var sizes = new Dictionary<Digest, long>(owners.Count);
        foreach (var digest in owners.Keys) sizes[digest] = await inventory.SizeAsync(snapshot, digest, cancel);

        var unreferenced = snapshot.Sizes.Where(b => !owners.ContainsKey(b.Key)).ToArray();
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("repositories");
            foreach (var (name, digests) in digestsByRepository)
            {
                if (digests.Count == 0) continue;
                var total = digests.Sum(d => sizes[d]);
                var unique = digests.Where(d => owners[d] == 1).Sum(d => sizes[d]);
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteNumber("blobs", digests.Count);
                json.WriteNumber("sizeBytes", total);
                json.WriteNumber("uniqueBytes", unique);
                json.WriteNumber("sharedBytes", total - unique);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("totals");
            json.WriteNumber("repositories", digestsByRepository.Count(r => r.Digests.Count > 0));
            json.WriteNumber("storedBlobs", snapshot.Sizes.Count);
            json.WriteNumber("storedBytes", snapshot.Bytes);
            json.WriteNumber("referencedBytes", sizes.Values.Sum());
            json.WriteNumber("uniqueBytes", sizes.Where(s => owners[s.Key] == 1).Sum(s => s.Value));
            json.WriteNumber("sharedBytes", sizes.Where(s => owners[s.Key] > 1).Sum(s => s.Value));
            json.WriteNumber("unreferencedBlobs", unreferenced.Length);
            json.WriteNumber("unreferencedBytes", unreferenced.Sum(b => b.Value));
            json.WriteEndObject();
            json.WriteString("listedAt", snapshot.TakenAt.UtcDateTime);
            json.WriteEndObject();
        });
    }
}
