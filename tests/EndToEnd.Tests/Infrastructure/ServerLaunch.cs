using System.Reflection;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>How to start the registry under test on a given port and data dir.</summary>
public sealed record ServerLaunch(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Set to "distribution" to run the suite against Debian's docker-registry instead of nscr:
    /// a way to tell a wrong test from a wrong server. The default, and CI, is always nscr.</summary>
    public const string ReferenceVariable = "E2E_REFERENCE_REGISTRY";

    public static ServerLaunch For(int port, string dataDir) =>
        System.Environment.GetEnvironmentVariable(ReferenceVariable) == "distribution"
            ? Distribution(port, dataDir)
            : Gateway(port, dataDir);

    private static ServerLaunch Gateway(int port, string dataDir) => new(
        DotnetHost(),
        [LocateGatewayDll()],
        new Dictionary<string, string>
        {
            ["NSCR_PORT"] = port.ToString(),
            ["NSCR_DATA_DIR"] = dataDir,
            ["DOTNET_NOLOGO"] = "1",
        });

    private static ServerLaunch Distribution(int port, string dataDir)
    {
        var config = Path.Combine(dataDir, "distribution.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {dataDir}/storage
              delete:
                enabled: true
            http:
              addr: 0.0.0.0:{port}
            """);
        return new("docker-registry", ["serve", config], new Dictionary<string, string>());
    }

    /// <summary>src/Gateway's output, preferring the configuration this test assembly was built with.</summary>
    public static string LocateGatewayDll()
    {
        var root = FindRepositoryRoot();
        var built = typeof(ServerLaunch).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        var configurations = new[] { built, "Release", "Debug" }.OfType<string>().Distinct();
        var candidates = configurations
            .Select(c => Path.Combine(root, "src", "Gateway", "bin", c, "net10.0", "Nscr.Gateway.dll"))
            .ToList();
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            "Nscr.Gateway.dll not found; build src/Gateway first. Tried:\n" + string.Join('\n', candidates));
    }

    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Nscr.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Nscr.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The dotnet host running these tests (…/shared/Microsoft.NETCore.App/&lt;version&gt;/ is three levels below it).</summary>
    private static string DotnetHost()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var host = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", "..", "dotnet"));
        return File.Exists(host) ? host : "dotnet";
    }
}
