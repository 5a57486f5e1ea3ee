using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Nscr.Cli.Tests.Infrastructure;

/// <summary>
/// The real registry for the live-feed commands: heartbeats every second, and the live log feed taking the request log
/// (Information) and the tests' own category at every level, while the console stays at Warning.
/// </summary>
public sealed class FeedsCliRegistry : IAsyncLifetime
{
    public const string TestCategory = "Nscr.Cli.Tests.Feeds";

    public CliRegistry Registry { get; } = new(new Dictionary<string, string?>
    {
        ["Nscr:Live:HeartbeatSeconds"] = "1",
        ["Logging:Live:LogLevel:Nscr.Gateway.Observability.RequestTelemetry"] = "Information",
        ["Logging:Live:LogLevel:" + TestCategory] = "Trace",
    });

    /// <summary>A logger of the registry's own logging pipeline: what it writes reaches the feed like any entry.</summary>
    public ILogger Logger => Registry.Services.GetRequiredService<ILoggerFactory>().CreateLogger(TestCategory);

    public Task InitializeAsync() => Registry.InitializeAsync();

    public Task DisposeAsync() => Registry.DisposeAsync();
}
