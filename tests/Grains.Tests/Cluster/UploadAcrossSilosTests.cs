using System.Security.Cryptography;
using Nscr.Grains.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Grains.Tests.Cluster;

/// <summary>
/// An upload continued on another gateway: chunks alternate between the two silos' gateways, each taking the session's
/// write lease, writing to the shared staging area and recording the new offset. The committed blob hashes to its digest.
/// </summary>
public sealed class UploadAcrossSilosTests(MultiSiloCluster cluster) : IClassFixture<MultiSiloCluster>
{
    private const int Chunks = 12;
    private const int ChunkSize = 64 * 1024 + 17;

    [Fact]
    public async Task Chunks_alternating_between_silos_commit_a_blob_that_hashes_to_its_digest()
    {
        var repository = MultiSiloCluster.NewRepository("upload");
        var content = RandomNumberGenerator.GetBytes(Chunks * ChunkSize);
        var digest = Digest.Compute(content);
        var id = Guid.NewGuid().ToString("N");
        var (first, second) = (cluster.Gateways[0], cluster.Gateways[1]);

        await first.Store.CreateStagedAsync(id, CancellationToken.None);
        await first.Session(id).StartAsync(repository);
        var host = await cluster.LocationAsync(first.Session(id));
        Assert.Contains(host, cluster.Gateways.Select(g => g.Silo));

        for (var chunk = 0; chunk < Chunks; chunk++)
        {
            var gateway = cluster.Gateways[chunk % 2];
            var other = cluster.Gateways[(chunk + 1) % 2];
            var start = (long)chunk * ChunkSize;
            var offset = await gateway.Session(id).BeginWriteAsync(repository, start);
            Assert.Equal(start, offset);

            // The lease is the session's, wherever the caller runs: the other gateway cannot write at the same time.
            var concurrent = await Assert.ThrowsAsync<OciException>(() => other.Session(id).BeginWriteAsync(repository, start));
            Assert.Equal(OciErrorCode.RangeInvalid, concurrent.Code);

            var length = await gateway.Store.WriteStagedAsync(id, offset, new MemoryStream(content, (int)start, ChunkSize), null, long.MaxValue, CancellationToken.None);
            await gateway.Session(id).EndWriteAsync(length);

            // The other gateway sees the recorded progress and refuses a chunk at a stale offset.
            Assert.Equal(length, (await other.Session(id).GetAsync())!.Offset);
            var stale = await Assert.ThrowsAsync<OciException>(() => other.Session(id).BeginWriteAsync(repository, start));
            Assert.Equal(OciErrorCode.RangeInvalid, stale.Code);
        }

        // The gateway that did not write the last chunk commits, as a client's PUT may land anywhere.
        var committer = cluster.Gateways[Chunks % 2];
        var total = await committer.Session(id).BeginWriteAsync(repository, null);
        Assert.Equal(content.LongLength, total);
        Assert.Equal(digest, await committer.Store.HashStagedAsync(id, total, Digest.Sha256, CancellationToken.None));
        var info = await committer.Blob(digest).CommitStagedAsync(id, total, repository);
        await committer.Session(id).CloseAsync();

        Assert.Equal(content.LongLength, info.Size);
        Assert.Null(await first.Session(id).GetAsync());
        Assert.Null(await second.Session(id).GetAsync());
        foreach (var gateway in cluster.Gateways)
        {
            Assert.True(await gateway.Blob(digest).IsLinkedAsync(repository));
            await using var stored = await gateway.Store.OpenReadAsync(digest, 0, CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(digest, Digest.FromHash(Digest.Sha256, await SHA256.HashDataAsync(stored)));
        }
    }

    [Fact]
    public async Task A_write_aborted_on_one_silo_continues_on_the_other_from_the_recorded_offset()
    {
        var repository = MultiSiloCluster.NewRepository("upload-abort");
        var content = RandomNumberGenerator.GetBytes(3 * ChunkSize);
        var digest = Digest.Compute(content);
        var id = Guid.NewGuid().ToString("N");
        var (first, second) = (cluster.Gateways[0], cluster.Gateways[1]);
        await second.Store.CreateStagedAsync(id, CancellationToken.None);
        await second.Session(id).StartAsync(repository);

        await first.Session(id).BeginWriteAsync(repository, 0);
        var length = await first.Store.WriteStagedAsync(id, 0, new MemoryStream(content, 0, ChunkSize), null, long.MaxValue, CancellationToken.None);
        await first.Session(id).EndWriteAsync(length);

        // A chunk that failed half way on the first gateway: bytes on disk, no progress recorded, lease released.
        await first.Session(id).BeginWriteAsync(repository, ChunkSize);
        await first.Store.WriteStagedAsync(id, ChunkSize, new MemoryStream(RandomNumberGenerator.GetBytes(ChunkSize / 2)), null, long.MaxValue, CancellationToken.None);
        await first.Session(id).AbortWriteAsync();
        Assert.Equal(ChunkSize, (await second.Session(id).GetAsync())!.Offset);

        // The client retries the rest on the second gateway, from the offset the session recorded.
        var offset = await second.Session(id).BeginWriteAsync(repository, null);
        Assert.Equal(ChunkSize, offset);
        length = await second.Store.WriteStagedAsync(id, offset, new MemoryStream(content, ChunkSize, 2 * ChunkSize), null, long.MaxValue, CancellationToken.None);
        await second.Session(id).EndWriteAsync(length);

        await first.Session(id).BeginWriteAsync(repository, length);
        Assert.Equal(digest, await first.Store.HashStagedAsync(id, length, Digest.Sha256, CancellationToken.None));
        await first.Blob(digest).CommitStagedAsync(id, length, repository);
        await first.Session(id).CloseAsync();

        Assert.True(cluster.FileExists(digest));
        Assert.Equal(content, await File.ReadAllBytesAsync(second.Store.TryGetLocalPath(digest)!));
    }
}
