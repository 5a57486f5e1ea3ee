using Nscr.Oci;

namespace Nscr.Metadata;

/// <summary>
/// Blob touches written in groups: each caller waits for the transaction that holds its touch, and the touches that
/// arrive while one transaction runs go together in the next. Thousands of blob grains leaving memory after a burst
/// of pushes (each writing the touch the GC's fencing needs) then cost a few transactions, not one each.
/// </summary>
public sealed class BlobTouches(BlobRows rows)
{
    /// <summary>Touches per transaction at most, so that one group does not hold the write lock long.</summary>
    private const int GroupLimit = 512;

    private readonly Lock gate = new();
    private Dictionary<Digest, Pending> pending = [];
    private bool writing;

    /// <summary>Writes <paramref name="at"/> as the blob's last touch unless a later one is stored; done when committed.</summary>
    public Task WriteAsync(Digest digest, DateTimeOffset at)
    {
        Pending entry;
        var start = false;
        lock (gate)
        {
            if (pending.TryGetValue(digest, out var queued))
            {
                entry = queued with { At = at > queued.At ? at : queued.At };
            }
            else
            {
                entry = new Pending(at, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
            pending[digest] = entry;
            if (!writing) writing = start = true;
        }
        // Off the caller's scheduler (a grain's): the group is written for every caller, not in one grain's turn.
        if (start) _ = Task.Run(WriteGroupsAsync);
        return entry.Done.Task;
    }

    private async Task WriteGroupsAsync()
    {
        while (true)
        {
            List<KeyValuePair<Digest, Pending>> group;
            lock (gate)
            {
                if (pending.Count == 0)
                {
                    writing = false;
                    return;
                }
                group = pending.Take(GroupLimit).ToList();
                foreach (var (digest, _) in group) pending.Remove(digest);
            }
            try
            {
                await rows.TouchAllAsync(group.Select(t => (t.Key, t.Value.At)).ToList(), CancellationToken.None);
                foreach (var (_, touch) in group) touch.Done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var (_, touch) in group) touch.Done.TrySetException(e);
            }
        }
    }

    private sealed record Pending(DateTimeOffset At, TaskCompletionSource Done);
}
