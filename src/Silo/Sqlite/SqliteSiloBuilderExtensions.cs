using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nscr.Grains.Upgrade;
using Nscr.Metadata;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Nscr.Silo.Sqlite;

public static class SqliteSiloBuilderExtensions
{
    /// <summary>
    /// Embedded-mode persistence in <c>&lt;dataDir&gt;/nscr.db</c>: migrates the schema now, then registers
    /// the ADO.NET grain storage <see cref="SqliteDatabase.StorageName"/> (Orleans binary serializer, rows
    /// deleted on ClearStateAsync) and reminders backed by <see cref="SqliteReminderTable"/>. The running silo holds the
    /// data dir's <see cref="DataDirLock"/>.
    /// </summary>
    public static ISiloBuilder UseNscrSqlite(this ISiloBuilder builder, string dataDir)
    {
        var connectionString = SqliteDatabase.ConnectionString(dataDir);
        SqliteDatabase.Migrate(connectionString);
        var dataSource = new ConfiguredSqliteDataSource(connectionString);

        builder.AddAdoNetGrainStorage(SqliteDatabase.StorageName, (OptionsBuilder<AdoNetGrainStorageOptions> options) => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = SqliteDatabase.AdoNetInvariant;
            o.DataSource = dataSource;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            o.DeleteStateOnClear = true;
        }));

        // Held from the silo's start until the host is disposed; resolving it at start takes it (or fails the start).
        builder.Services.AddSingleton(_ => DataDirLock.Acquire(dataDir));
        builder.AddStartupTask((services, _) =>
        {
            services.GetRequiredService<DataDirLock>();
            return Task.CompletedTask;
        }, ServiceLifecycleStage.First);

        builder.Services.AddSingleton<ILegacyStates>(new SqliteLegacyStates(dataSource));
        builder.AddNscrMetadata(new MetadataDatabase(dataSource, SqlDialect.Sqlite));
        builder.AddReminders();
        builder.Services.AddSingleton<IReminderTable>(new SqliteReminderTable(connectionString));
        return builder;
    }
}
