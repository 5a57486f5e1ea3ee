using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nscr.Grains.Events;
using Nscr.Grains.Gc;
using Nscr.Silo.Configuration;
using Nscr.Silo.Kubernetes;
using Nscr.Silo.Migration;

namespace Nscr.Silo.Hosting;

/// <summary>Entry point of the standalone silo: runs a cluster silo, or the <c>migrate</c> verb.</summary>
public static class SiloProgram
{
    private const int ConfigurationError = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            if (args is ["migrate", .. var rest]) return await MigrateCommand.RunAsync(rest);
            if (args is ["--help" or "-h" or "help", ..])
            {
                Console.WriteLine(Usage);
                return 0;
            }
            using var host = Build(args);
            await host.RunAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) Console.Error.WriteLine($"nscr-silo: {failure}");
            return ConfigurationError;
        }
    }

    /// <summary>A cluster silo host on the Generic Host, configured from appsettings.json, NSCR_* variables and flags.</summary>
    public static IHost Build(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddNscrSources(args);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        configure?.Invoke(builder);

        var cluster = ClusterSettings.Read(builder.Configuration, requireCluster: true);
        var gc = GcSettings.Read(builder.Configuration);
        builder.Services.AddSiloBlobStore(builder.Configuration, NscrConfiguration.DataDir(builder.Configuration));
        // No gateway here to raise GC events: the gateways hear of this silo's cycles through the events grain.
        builder.Services.AddSingleton<IGcCycleObserver, GcEventForwarder>();
        builder.UseOrleans(silo => silo.UseNscrCluster(cluster).AddNscrGarbageCollection(gc).UseNscrKubernetes(builder.Configuration));
        return builder.Build();
    }

    private const string Usage = """
        Nscr.Silo                          run a cluster silo (needs NSCR_POSTGRES)
        Nscr.Silo migrate --from <dir>     copy an embedded registry's data dir into the cluster

        Settings (environment, or --flag): NSCR_POSTGRES, NSCR_SILO_PORT, NSCR_GATEWAY_PORT, NSCR_ADVERTISED_ADDRESS,
        NSCR_CLUSTER_ID, NSCR_SERVICE_ID, NSCR_DATA_DIR (the shared blob directory), NSCR_GC_*, NSCR_KUBERNETES.
        """;
}
