using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>
/// A registry with auth on, alice and bob in its htpasswd file, and no access settings but those a subclass adds: the
/// defaults of an htpasswd file alone, and how rules and admins change them. Every log line is captured.
/// </summary>
public abstract class DefaultAccessRegistry : IAsyncLifetime
{
    private readonly Dictionary<string, string> passwords = new(StringComparer.Ordinal)
    {
        ["alice"] = $"pw-alice-{Guid.NewGuid():N}",
        ["bob"] = $"pw-bob-{Guid.NewGuid():N}",
    };
    private RegistryFixture? registry;

    public RegistryFixture Registry => registry!;

    public CapturedLogs Logs { get; } = new();

    /// <summary>Settings beyond Nscr:Auth:Htpasswd.</summary>
    protected abstract IReadOnlyDictionary<string, string?> AccessSettings { get; }

    public AuthenticationHeaderValue Basic(string user) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{passwords[user]}")));

    /// <summary>A registry client sending <paramref name="user"/>'s Basic credentials (null: none).</summary>
    public RegistryClient Client(string? user)
    {
        var client = new RegistryClient(Registry.BaseAddress);
        client.Http.DefaultRequestHeaders.Authorization = user is null ? null : Basic(user);
        return client;
    }

    /// <summary>How many log lines carry this event id.</summary>
    public int Logged(int eventId) => Logs.Lines.Count(line => line.Contains($"[{eventId}]", StringComparison.Ordinal));

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(AccessSettings);
        registry = new RegistryFixture(builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddProvider(Logs);
            builder.Logging.AddFilter("Nscr", LogLevel.Information);
        });
        // The user file lives in the registry's data dir, which goes with the fixture.
        Directory.CreateDirectory(registry.DataDir);
        var htpasswd = Path.Combine(registry.DataDir, "htpasswd");
        await File.WriteAllLinesAsync(htpasswd, passwords.Select(p => $"{p.Key}:{BCrypt.Net.BCrypt.HashPassword(p.Value, 4)}"));
        settings["Nscr:Auth:Htpasswd"] = htpasswd;
        await registry.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (registry is not null) await registry.DisposeAsync();
    }
}

/// <summary>Nothing but the htpasswd file, as in the README's example.</summary>
public sealed class HtpasswdOnlyRegistry : DefaultAccessRegistry
{
    protected override IReadOnlyDictionary<string, string?> AccessSettings { get; } = new Dictionary<string, string?>();
}

/// <summary>No rules, alice listed as the admin.</summary>
public sealed class ListedAdminRegistry : DefaultAccessRegistry
{
    protected override IReadOnlyDictionary<string, string?> AccessSettings { get; } = new Dictionary<string, string?>
    {
        ["Nscr:Auth:Admins:0"] = "alice",
    };
}

/// <summary>One rule (bob may pull x/**), no admins.</summary>
public sealed class RulesWithoutAdminsRegistry : DefaultAccessRegistry
{
    protected override IReadOnlyDictionary<string, string?> AccessSettings { get; } = new Dictionary<string, string?>
    {
        ["Nscr:Auth:Rules:0:Subjects:0"] = "bob",
        ["Nscr:Auth:Rules:0:Repository"] = "x/**",
        ["Nscr:Auth:Rules:0:Actions:0"] = "pull",
    };
}
