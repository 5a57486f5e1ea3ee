using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nscr.Silo.Configuration;
using Nscr.Silo.Hosting;
using Nscr.Storage;

namespace Nscr.Silo.Migration;

/// <summary><c>Nscr.Silo migrate --from &lt;embedded data dir&gt;</c>, with the cluster's NSCR_POSTGRES and blob store settings.</summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var from = args.SkipWhile(a => a != "--from").Skip(1).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(from))
        {
            await Console.Error.WriteLineAsync("usage: Nscr.Silo migrate --from <embedded data dir>   (with NSCR_POSTGRES and NSCR_DATA_DIR or NSCR_S3_* of the cluster)");
            return 2;
        }
        var rest = args.Where((_, i) => !(args[i] == "--from" || (i > 0 && args[i - 1] == "--from"))).ToArray();
        var configuration = new ConfigurationManager();
        configuration.AddNscrSources(rest);
        var cluster = ClusterSettings.Read(configuration, requireCluster: true);

        var services = new ServiceCollection().AddLogging(logging => logging.AddSimpleConsole());
        services.AddSiloBlobStore(configuration, NscrConfiguration.DataDir(configuration));
        await using var provider = services.BuildServiceProvider();
        try
        {
            var report = await EmbeddedMigration.RunAsync(from, cluster.Postgres!, cluster.ServiceId, provider.GetRequiredService<IBlobStore>());
            Console.WriteLine($"migrated {report.GrainStates} grain states, {report.Reminders} reminders; " +
                $"blobs: {report.BlobsCopied} copied ({report.BytesCopied} bytes, digests verified), {report.BlobsAlreadyPresent} already present");
            return 0;
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync($"nscr-silo migrate: {e.Message}");
            return 1;
        }
    }
}
