using Microsoft.Extensions.DependencyInjection;
using Nscr.Grains;
using Nscr.Metadata;
using Nscr.Silo.Sqlite;

namespace Nscr.Silo.Tests.Sqlite;

/// <summary>The registry's own grains on this storage (their state types, their storage name).</summary>
public sealed class RegistryGrainTests : IDisposable
{
    private readonly TempDataDir dataDir = new();

    public void Dispose() => dataDir.Dispose();

    [Fact]
    public async Task The_catalog_survives_a_host_restart()
    {
        Assert.Equal(StorageNames.Registry, SqliteDatabase.StorageName);
        await using (var silo = await TestSilo.StartAsync(dataDir.Path))
        {
            var rows = silo.Services.GetRequiredService<RepositoryRows>();
            await rows.EnsureListedAsync("library/busybox", DateTimeOffset.UtcNow, CancellationToken.None);
            await rows.EnsureListedAsync("library/alpine", DateTimeOffset.UtcNow, CancellationToken.None);
        }

        await using (var silo = await TestSilo.StartAsync(dataDir.Path))
        {
            Assert.Equal(["library/alpine", "library/busybox"], await silo.Grains.GetGrain<ICatalogGrain>(0).ListAsync(null, 10));
        }
    }
}
