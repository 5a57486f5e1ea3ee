using Microsoft.Extensions.Configuration;
using Nscr.Silo.Configuration;

namespace Nscr.Silo.Hosting;

/// <summary>The configuration sources every nscr process reads, in order: appsettings, NSCR_* variables, flags.</summary>
public static class NscrConfiguration
{
    public static IConfigurationManager AddNscrSources(this IConfigurationManager configuration, string[] args)
    {
        // A standalone silo does not know the gateway's settings, which a shared environment also holds: it reads lists but refuses no name.
        configuration.AddInMemoryCollection(NscrEnvironmentVariables.Read(rejectUnknown: false));
        configuration.AddCommandLine(args, NscrEnvironmentVariables.SwitchMappings());
        return configuration;
    }

    /// <summary>Nscr:DataDir as an absolute path (default ./data), created when missing.</summary>
    public static string DataDir(IConfiguration configuration)
    {
        var dataDir = Path.GetFullPath(configuration[$"{NscrSection.Name}:DataDir"] is { Length: > 0 } configured ? configured : "./data");
        Directory.CreateDirectory(dataDir);
        return dataDir;
    }
}
