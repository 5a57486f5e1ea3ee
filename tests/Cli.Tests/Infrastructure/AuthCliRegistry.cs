using Xunit;

namespace Nscr.Cli.Tests.Infrastructure;

/// <summary>
/// The real registry with authentication on: an htpasswd file (bcrypt, cost 4) holding an admin (the admins group, so
/// the admin role) and a reader (pull on everything, no admin role). Passwords are unique per fixture.
/// </summary>
public sealed class AuthCliRegistry : IAsyncLifetime
{
    public const string Admin = "admin";
    public const string Reader = "reader";

    private readonly string configDir = Path.Combine(Path.GetTempPath(), "nscr-cli-tests", $"htpasswd-{Guid.NewGuid():N}");

    public AuthCliRegistry()
    {
        Directory.CreateDirectory(configDir);
        var htpasswd = Path.Combine(configDir, "htpasswd");
        File.WriteAllLines(htpasswd, [Entry(Admin, AdminPassword), Entry(Reader, ReaderPassword)]);
        Registry = new CliRegistry(new Dictionary<string, string?>
        {
            ["Nscr:Auth:Htpasswd"] = htpasswd,
            ["Nscr:Auth:Groups:admins:0"] = Admin,
            ["Nscr:Auth:Admins:0"] = "group:admins",
            ["Nscr:Auth:Rules:0:Subjects:0"] = Reader,
            ["Nscr:Auth:Rules:0:Repository"] = "**",
            ["Nscr:Auth:Rules:0:Actions:0"] = "pull",
        });
    }

    public string AdminPassword { get; } = $"admin-{Guid.NewGuid():N}";

    public string ReaderPassword { get; } = $"reader-{Guid.NewGuid():N}";

    public CliRegistry Registry { get; }

    public Uri Url => Registry.Url;

    /// <summary>An environment with its own empty config directory (under the fixture's root) and nothing else.</summary>
    public Dictionary<string, string> Environment(string name) => new() { ["XDG_CONFIG_HOME"] = Path.Combine(Registry.Root, name) };

    public static string ConfigFile(IReadOnlyDictionary<string, string> environment) =>
        Path.Combine(environment["XDG_CONFIG_HOME"], "nscr", "config.json");

    /// <summary>The config file and its directory are the user's only.</summary>
    public static void AssertPrivate(string file)
    {
        Assert.False(OperatingSystem.IsWindows(), "nscr's tests run on Linux");
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
    }

    public Task InitializeAsync() => Registry.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Registry.DisposeAsync();
        try
        {
            Directory.Delete(configDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Entry(string user, string password) => $"{user}:{BCrypt.Net.BCrypt.HashPassword(password, 4)}";
}
