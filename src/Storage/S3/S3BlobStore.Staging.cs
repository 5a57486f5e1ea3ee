using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Nscr.Oci;

namespace Nscr.Storage.S3;

/// <summary>Staged objects: a marker and a chain of segment objects under <c>uploads/&lt;id&gt;/</c>.</summary>
public sealed partial class S3BlobStore
{
    private const int HashBufferSize = 256 * 1024;

    public async Task CreateStagedAsync(string stagingId, CancellationToken cancellationToken)
    {
        var layout = await ReadLayoutAsync(stagingId, cancellationToken);
        var marker = _keys.Marker(stagingId);
        await DeleteKeysAsync(layout.AllKeys.Where(key => key != marker).ToList(), cancellationToken);
        await PutAsync(marker, [], 0, cancellationToken);
    }

    public async Task<long?> GetStagedLengthAsync(string stagingId, CancellationToken cancellationToken)
    {
        var layout = await ReadLayoutAsync(stagingId, cancellationToken);
        return layout.Exists ? layout.Length : null;
    }

    public async Task<long> WriteStagedAsync(
        string stagingId, long offset, Stream source, IncrementalHash? hasher, long maxBytes, CancellationToken cancellationToken)
    {
        var layout = await ReadLayoutAsync(stagingId, cancellationToken);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (!layout.Exists) throw new OciException(OciErrorCode.BlobUploadUnknown, $"no staged object '{stagingId}'");
        if (offset < 0 || offset > layout.Length)
        {
            throw new OciException(OciErrorCode.RangeInvalid, $"write offset {offset} is outside the staged object (length {layout.Length})");
        }
        await TruncateAsync(stagingId, layout, offset, cancellationToken);
        var key = _keys.NewSegment(stagingId, offset);
        try
        {
            return offset + await UploadAsync(key, source, hasher, maxBytes, cancellationToken);
        }
        catch (Exception)
        {
            // The object stays cut back at the offset: a PUT may have landed even though its answer was lost.
            await TryDeleteAsync(key);
            throw;
        }
    }

    public async Task WriteStagedAsync(string stagingId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var layout = await ReadLayoutAsync(stagingId, cancellationToken);
        var marker = _keys.Marker(stagingId);
        string? segment = null;
        if (!content.IsEmpty)
        {
            segment = _keys.NewSegment(stagingId, 0);
            var bytes = content.ToArray(); // a manifest: small by the caller's limit
            await PutAsync(segment, bytes, bytes.Length, cancellationToken);
        }
        await DeleteKeysAsync(layout.AllKeys.Where(key => key != marker && key != segment).ToList(), cancellationToken);
        if (!layout.Exists) await PutAsync(marker, [], 0, cancellationToken);
    }

    public async Task<Digest> HashStagedAsync(string stagingId, long length, string algorithm, CancellationToken cancellationToken)
    {
        var layout = await ReadLayoutAsync(stagingId, cancellationToken);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        using var hash = IncrementalHash.CreateHash(algorithm switch
        {
            Digest.Sha256 => HashAlgorithmName.SHA256,
            Digest.Sha512 => HashAlgorithmName.SHA512,
            _ => throw new ArgumentException($"unsupported digest algorithm '{algorithm}'", nameof(algorithm)),
        });
        if (!layout.Exists) throw new OciException(OciErrorCode.BlobUploadUnknown, $"no staged object '{stagingId}'");
        if (layout.Length < length) throw new OciException(OciErrorCode.SizeInvalid, $"staged object holds {layout.Length} bytes, not {length}");

        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferSize);
        try
        {
            foreach (var segment in layout.Chain)
            {
                if (segment.Start >= length) break;
                var count = Math.Min(segment.Size, length - segment.Start);
                await using var body = await GetAsync(segment.Key, 0, count, cancellationToken);
                for (long done = 0; done < count;)
                {
                    var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - done)), cancellationToken);
                    if (read == 0) throw new OciException(OciErrorCode.SizeInvalid, $"segment of staged object '{stagingId}' is shorter than listed");
                    hash.AppendData(buffer, 0, read);
                    done += read;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Span<byte> digest = stackalloc byte[64];
        var written = hash.GetHashAndReset(digest);
        return Digest.FromHash(algorithm, digest[..written]);
    }

    public async Task DeleteStagedAsync(string stagingId, CancellationToken cancellationToken)
    {
        var layout = await ReadLayoutAsync(stagingId, cancellationToken);
        await DeleteKeysAsync(layout.AllKeys, cancellationToken);
    }

    /// <summary>
    /// Every staged object with its length and newest write, including segments whose marker is gone (a crash in
    /// the middle of a delete): the GC finds no session for them and deletes them.
    /// </summary>
    public async IAsyncEnumerable<StoredObject> ListStagedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Keys sort by id, so each staged object's keys arrive together.
        string? current = null;
        var rows = new List<(string Key, string Name, long Size, DateTimeOffset LastModified)>();
        await foreach (var item in ListAsync(_keys.UploadsPrefix, cancellationToken))
        {
            if (!_keys.TryParseStaged(item.Key, out var stagingId, out var name)) continue;
            if (stagingId != current)
            {
                if (current is not null) yield return Describe(current, rows);
                current = stagingId;
                rows.Clear();
            }
            rows.Add((item.Key, name, item.Size ?? 0, ToOffset(item.LastModified)));
        }
        if (current is not null) yield return Describe(current, rows);

        static StoredObject Describe(string stagingId, List<(string, string, long, DateTimeOffset)> rows)
        {
            var layout = StagedLayout.From(rows);
            return new StoredObject(stagingId, layout.Length, layout.LastModified);
        }
    }

    private async Task<StagedLayout> ReadLayoutAsync(string stagingId, CancellationToken cancellationToken)
    {
        var prefix = _keys.StagedPrefix(stagingId); // validates the id before any request
        var rows = new List<(string Key, string Name, long Size, DateTimeOffset LastModified)>();
        await foreach (var item in ListAsync(prefix, cancellationToken))
        {
            if (_keys.TryParseStaged(item.Key, out _, out var name)) rows.Add((item.Key, name, item.Size ?? 0, ToOffset(item.LastModified)));
        }
        return StagedLayout.From(rows);
    }

    /// <summary>
    /// Cuts the staged object back to <paramref name="offset"/> bytes: a segment across the offset is replaced by a
    /// trimmed copy (a new key, written before the original is deleted), later segments and leftovers are deleted.
    /// </summary>
    private async Task TruncateAsync(string stagingId, StagedLayout layout, long offset, CancellationToken cancellationToken)
    {
        var doomed = new List<string>(layout.Leftovers);
        foreach (var segment in layout.Chain)
        {
            if (segment.End <= offset) continue;
            if (segment.Start < offset)
            {
                var keep = offset - segment.Start;
                await using var prefix = await GetAsync(segment.Key, 0, keep, cancellationToken);
                await UploadAsync(_keys.NewSegment(stagingId, segment.Start), prefix, null, keep, cancellationToken);
            }
            doomed.Add(segment.Key);
        }
        await DeleteKeysAsync(doomed, cancellationToken);
    }
}
