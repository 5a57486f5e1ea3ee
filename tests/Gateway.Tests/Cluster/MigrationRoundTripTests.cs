using System.Net;
using Nscr.Gateway.Tests.Api;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;
using Nscr.Silo.Hosting;
using Nscr.Silo.Tests.Postgres;

namespace Nscr.Gateway.Tests.Cluster;

/// <summary>
/// From embedded to cluster over HTTP: images pushed to an embedded registry, <c>Nscr.Silo migrate</c> (its in-process
/// entry point) into a private PostgreSQL database and a new shared blob directory, then a cluster node on them serves
/// every manifest, blob, tag list and the catalog byte for byte; a GC cycle with no grace keeps everything tagged.
/// </summary>
public sealed class MigrationRoundTripTests : IClassFixture<PostgresTestDatabase>, IDisposable
{
    private readonly PostgresTestDatabase postgres;
    private readonly string root = Directory.CreateTempSubdirectory("nscr-migration-tests-").FullName;

    public MigrationRoundTripTests(PostgresTestDatabase postgres)
    {
        this.postgres = postgres;
    }

    private string EmbeddedDir => Path.Combine(root, "embedded");

    private string SharedDir => Path.Combine(root, "shared");

    [Fact]
    public async Task Everything_pushed_to_an_embedded_registry_pulls_back_identical_from_a_cluster_node_after_migrate()
    {
        var database = await postgres.Server.CreateDatabaseAsync("migrated");
        Directory.CreateDirectory(EmbeddedDir);
        Directory.CreateDirectory(SharedDir);
        RegistryContent before;
        // What a tag reaches (kept by any GC) and what only a digest reaches (the GC may take it).
        var (kept, unreachable) = (new List<(string, string)>(), new List<(string, string)>());
        var (keptBlobs, unreachableBlobs) = (new List<(string, Digest)>(), new List<(string, Digest)>());
        await using (var embedded = await HostedRegistry.StartAsync(EmbeddedDir))
        {
            var client = embedded.Client;
            void Image(PushedImage image, string? tag, bool reachable = true)
            {
                var repository = image.Manifest.Repository;
                (reachable ? kept : unreachable).Add((repository, image.Digest.ToString()));
                if (tag is not null) kept.Add((repository, tag));
                (reachable ? keptBlobs : unreachableBlobs).AddRange(image.Layers.Append(image.Config).Select(b => (repository, b.Digest)));
            }

            Image(await client.PushImageAsync("migrate/oci", "v1", layers: 2), "v1");
            Image(await client.PushImageAsync("migrate/docker", "latest", mediaType: MediaTypes.DockerManifest), "latest");

            var amd64 = await client.PushImageAsync("migrate/multi", tag: null);
            var arm64 = await client.PushImageAsync("migrate/multi", tag: null);
            Image(amd64, null);
            Image(arm64, null);
            var index = await client.PushManifestAsync("migrate/multi", "multi",
                ManifestBuilder.Bytes(ManifestBuilder.Index([amd64.Manifest.Ref, arm64.Manifest.Ref])), MediaTypes.OciIndex);
            kept.AddRange([("migrate/multi", "multi"), ("migrate/multi", index.Digest.ToString())]);

            // A manifest pushed by digest and tagged afterwards, next to one that stays untagged.
            var tagged = await client.PushImageAsync("migrate/mixed", tag: null);
            await client.PushManifestAsync("migrate/mixed", "later", tagged.Manifest.Body, tagged.Manifest.MediaType);
            Image(tagged, "later");
            var untagged = await client.PushImageAsync("migrate/mixed", tag: null);
            Image(untagged, null, reachable: false);

            before = await RegistryContent.ReadAsync(client, [.. kept, .. unreachable], [.. keptBlobs, .. unreachableBlobs]);

            // The running registry holds its data dir's lock: migrate refuses and writes nothing.
            Assert.Equal(1, await MigrateAsync(database));
            Assert.Empty(Directory.EnumerateFiles(SharedDir, "*", SearchOption.AllDirectories));
        }

        Assert.Equal(0, await MigrateAsync(database));

        await using var node = await HostedRegistry.StartAsync(SharedDir, new Dictionary<string, string>
        {
            ["Postgres"] = database,
            ["Role"] = "node",
            ["ClusterId"] = $"migrated-{Guid.NewGuid():N}",
            ["Gc:Grace"] = "0",
        });
        var after = await RegistryContent.ReadAsync(node.Client, before.Manifests.Keys, before.Blobs.Keys);
        before.AssertSameAs(after);

        // A cycle with no grace may take only what no tag reaches (here: the untagged image of migrate/mixed).
        var report = await node.Client.RunGcAsync();
        Assert.Empty(report["errors"]!.AsArray());
        var stillTagged = await RegistryContent.ReadAsync(node.Client, kept, keptBlobs);
        before.AssertContains(stillTagged);
    }

    /// <summary><c>Nscr.Silo migrate --from embedded</c> with the cluster's settings as flags; its exit code.</summary>
    private Task<int> MigrateAsync(string database) => SiloProgram.RunAsync(
        ["migrate", "--from", EmbeddedDir, "--Nscr:Postgres", database, "--data-dir", SharedDir]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
