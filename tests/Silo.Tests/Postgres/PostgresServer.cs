using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Nscr.Silo.Tests.Postgres;

/// <summary>
/// A private PostgreSQL server for tests: initdb into a temporary directory and pg_ctl start on a free loopback port,
/// as the 'postgres' user when the tests run as root (PostgreSQL refuses to run as root). Nothing is installed or
/// started system-wide; Dispose stops the server and deletes its directory. Self-contained: copy this file to use it
/// in another test project (it needs Npgsql).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "nscr";
    private readonly string directory;

    private PostgresServer(string directory, int port)
    {
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = BinDirectory();
        var directory = Directory.CreateTempSubdirectory("nscr-pg-").FullName;
        var port = FreePort();
        var server = new PostgresServer(directory, port);
        try
        {
            if (Environment.UserName == "root") await RunAsync("chown", ["-R", "postgres:", directory]);
            await RunAsPostgresAsync(Path.Combine(bin, "initdb"),
                ["-D", server.DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server, keeping its data (<see cref="StartAgainAsync"/> brings it back on the same port).</summary>
    public async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsPostgresAsync(Path.Combine(BinDirectory(), "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);
    }

    /// <summary>Starts the server (again) on its port.</summary>
    public Task StartAgainAsync() => RunAsPostgresAsync(Path.Combine(BinDirectory(), "pg_ctl"),
    [
        "-D", DataDirectory, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        "start",
    ]);

    private string DataDirectory => Path.Combine(directory, "data");

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Database = database,
        Timeout = 30,
    }.ToString();

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\";", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await RunAsPostgresAsync(Path.Combine(BinDirectory(), "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Where initdb and pg_ctl are: on PATH, else Debian's /usr/lib/postgresql/&lt;version&gt;/bin (newest).</summary>
    private static string BinDirectory()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))) return dir;
        }
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        return versions.Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (initdb not found): install the 'postgresql' package (./test.sh does as root).");
    }

    private static Task RunAsPostgresAsync(string program, string[] arguments) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments])
            : RunAsync(program, arguments);

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// A server of its own and a fresh database per test class (xunit class fixture): the server stops when the class is
/// done, so no test run leaves one behind (a process-wide server would outlive a test host that is killed or exits
/// without running its exit handlers).
/// </summary>
public sealed class PostgresTestDatabase : Xunit.IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartAsync();
        ConnectionString = await Server.CreateDatabaseAsync("nscr");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
