using Microsoft.Extensions.Configuration;
using Nscr.Silo.Configuration;

namespace Nscr.Silo.Hosting;

/// <summary>The configuration sources every nscr process reads, in order: appsettings, NSCR_* variables, flags.</summary>
public static class NscrConfiguration
{
    public static IConfigurationManager AddNscrSources(this IConfigurationManager configuration, string[] args)
    {
        configuration.AddInMemoryCollection(NscrEnvironmentVariables.Read());
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
