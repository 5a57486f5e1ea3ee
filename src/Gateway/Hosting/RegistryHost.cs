using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;
using Nscr.Gateway.Api;
using Nscr.Gateway.Api.Live;
using Nscr.Gateway.Auth;
using Nscr.Gateway.Cluster;
using Nscr.Gateway.Observability;
using Nscr.Gateway.Oci;
using Nscr.Gateway.Security;
using Nscr.Gateway.WebUi;
using Nscr.Silo.Configuration;
using Nscr.Storage;

namespace Nscr.Gateway.Hosting;

/// <summary>Builds the registry process: configuration, the co-hosted silo, the blob store and the HTTP surface.</summary>
public static class RegistryHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json ships next to the binary; relative data paths still resolve against the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(NscrEnvironmentVariables.Read());
        builder.Configuration.AddCommandLine(args, NscrEnvironmentVariables.SwitchMappings());
        configure?.Invoke(builder);

        var options = ReadOptions(builder.Configuration);
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        options.DataDir = dataDir;
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddNscrSecurity(options);
        builder.WebHost.UseSockets(sockets =>
        {
            // Layers arrive as long streams: skip the zero-byte read Kestrel does before each 4 KiB receive
            // (it halves the receive syscalls of an upload), at the price of one 4 KiB buffer per idle connection.
            sockets.WaitForDataBeforeAllocatingBuffer = false;
        });
        builder.AddNscrOrleans(dataDir);
        builder.Services.AddNscrBlobStore(builder.Configuration, dataDir);
        builder.Services.AddOciEndpoints();
        builder.Services.AddApiEndpoints();
        builder.AddNscrObservability(dataDir);
        builder.AddNscrAuth(options);
        builder.Services.AddNscrWebUi();

        var app = builder.Build();
        app.UseNscrObservability();
        app.UseNscrSecurity();
        app.UseNscrAuth();
        app.MapOciEndpoints();
        app.MapApiEndpoints();
        app.MapNscrLiveFeeds();
        app.MapNscrDashboard();
        app.MapNscrWebUi();
        return app;
    }

    /// <summary>Reads and validates the options, failing start-up with a message naming the bad setting.</summary>
    public static RegistryOptions ReadOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(RegistryOptions.Section).Get<RegistryOptions>() ?? new RegistryOptions();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
            | !IPAddress.TryParse(options.ListenAddress, out _))
        {
            var problems = results.Select(r => r.ErrorMessage).ToList();
            if (!IPAddress.TryParse(options.ListenAddress, out _)) problems.Add($"ListenAddress '{options.ListenAddress}' is not an IP address.");
            throw new OptionsValidationException(RegistryOptions.Section, typeof(RegistryOptions), problems!);
        }
        return options;
    }
}
