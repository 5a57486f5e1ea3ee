using System.Net;
using System.Text.Json;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// Kills the registry at crash point 1 of a write, then 2, ... until the write completes with the registry alive:
/// the number of crash points is found, not assumed. After each kill, before the restart, the rows must hold no half
/// write and no miscount, and the write must be all there or not at all (and never gone again once it was there);
/// after the restart every acknowledged push pulls back bit-identical, the API agrees with the rows, the write
/// succeeds when retried, the repository takes another push and fsck finds nothing wrong.
/// </summary>
internal sealed class CrashSweep : IDisposable
{
    private const string BaseRepository = "crash/acknowledged";
    private const int MaxPoints = 60;
    private static readonly TimeSpan DeathGrace = TimeSpan.FromSeconds(30);

    private readonly TestScope _scope;
    private readonly RegistryProcess _registry;
    private readonly CrashHook _hook;
    private readonly RegistryClient _client;
    private readonly Func<DeadRegistryRows> _openRows;
    private readonly List<(string Repository, string Tag, string Label)> _acknowledged = [];

    private CrashSweep(TestScope scope, RegistryProcess registry, CrashHook hook, Func<DeadRegistryRows> openRows)
    {
        _scope = scope;
        _registry = registry;
        _hook = hook;
        _openRows = openRows;
        _client = new RegistryClient(registry.BaseAddress);
        Image = TinyImage.New(_client);
    }

    /// <summary>The image every write stands on; its manifest <c>base</c> at <c>crash/acknowledged:a</c> is acknowledged before any kill.</summary>
    public TinyImage Image { get; }

    public RegistryClient Client => _client;

    /// <summary>
    /// Starts a registry with the crash hook, pushes the acknowledged image (and, into <paramref name="repository"/>,
    /// a first manifest: the write lands in a repository with content) and sweeps the write over its crash points.
    /// </summary>
    public static Task RunAsync(
        ITestOutputHelper output, string? repository, Func<CrashSweep, string, InterruptedWrite> write,
        IReadOnlyDictionary<string, string>? environment = null, Func<DeadRegistryRows>? openRows = null) => TestScope.RunAsync(output, async scope =>
    {
        using var sweep = await StartAsync(scope, environment, openRows);
        if (repository is not null) await sweep.PushAsync(repository, "a", "a", scope.CancellationToken);
        var points = await sweep.RunAsync(write(sweep, repository ?? ""));
        Assert.True(points >= 2, $"every write here is a transaction of several statements, not {points} crash points");
    }, deadline: TimeSpan.FromMinutes(5)); // a hang guard only: on a loaded CI machine a crash point takes a few seconds

    /// <summary>
    /// Starts a registry with the hook (and <paramref name="environment"/>) and pushes the acknowledged image. Its
    /// rows are read from <paramref name="openRows"/>, by default the embedded registry's SQLite file.
    /// </summary>
    private static async Task<CrashSweep> StartAsync(TestScope scope, IReadOnlyDictionary<string, string>? environment = null, Func<DeadRegistryRows>? openRows = null)
    {
        var hook = new CrashHook(scope.NewTempDirectory("crash-arm").Combine("arm"));
        var registry = await scope.StartRegistryAsync(environment: (environment ?? new Dictionary<string, string>()).Concat(hook.Environment).ToDictionary());
        var sweep = new CrashSweep(scope, registry, hook, openRows ?? (() => DeadRegistryRows.Sqlite(registry.DataDir)));
        await sweep.PushAsync(BaseRepository, "a", "base", scope.CancellationToken);
        return sweep;
    }

    /// <summary>An acknowledged push: every later crash must keep it.</summary>
    private async Task PushAsync(string repository, string tag, string label, CancellationToken ct)
    {
        await Image.PushAsync(repository, tag, label, ct);
        _acknowledged.Add((repository, tag, label));
    }

    /// <summary>Runs the sweep; the number of crash points the write passed.</summary>
    public async Task<int> RunAsync(InterruptedWrite write)
    {
        var ct = _scope.CancellationToken;
        var done = new List<bool>();
        for (var point = 1; point <= MaxPoints; point++)
        {
            await write.PrepareAsync(point, ct);
            _hook.Arm(point);
            if (await TrySendAsync(write, point, ct) is { } answer)
            {
                using (answer) await RegistryClient.ExpectAsync(answer, write.Success);
                _hook.Disarm();
                Assert.True(point > 1, $"{write.Name} ran no row transaction: the hook never fired");
                Assert.True(done[^1], $"{write.Name}: killed after its last commit, the write was not in the rows");
                Assert.True(await write.DoneThroughApiAsync(point, ct), $"{write.Name} answered {(int)write.Success} but is not served");
                _scope.Step($"{write.Name}: {point - 1} crash points, absent after {done.Count(d => !d)} of them, whole after the others");
                return point - 1;
            }

            using (var dying = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                dying.CancelAfter(DeathGrace);
                Assert.Equal(137, await _registry.WaitForExitAsync(dying.Token)); // 128 + SIGKILL: the hook's kill, not a crash of its own
            }
            var passed = CrashHook.PointsOfLastRun(_registry.Log);
            Assert.True(passed.Count == point && passed[^1].EndsWith(CrashHook.KillMark, StringComparison.Ordinal),
                $"the registry died, but not at crash point {point}: it reported {string.Join(" | ", passed)}");
            var inRows = InspectRows(write, point, done, out var emptyRepositories);
            _scope.Step($"{write.Name} killed at point {point} ({passed[^1]}): {(inRows ? "whole" : "absent")}");

            await _registry.RestartAsync(ct);
            foreach (var (repository, tag, label) in _acknowledged) await Image.AssertPullsAsync(repository, tag, label, ct);
            Assert.True(inRows == await write.DoneThroughApiAsync(point, ct), $"{write.Name}: the API disagrees with the rows ({inRows})");
            await CollectEmptyRepositoriesAsync(emptyRepositories, ct);
            using (var retry = await write.SendAsync(point, ct))
            {
                await RegistryClient.ExpectAsync(retry, inRows ? write.RetryWhenDone : write.Success);
            }
            Assert.True(await write.DoneThroughApiAsync(point, ct), $"{write.Name} retried but is not served");
            await PushAsync(write.Repository(point), $"again-{point}", $"again-{point}", ct);
            await AssertFsckCleanAsync(ct);
        }
        Assert.Fail($"{write.Name} passed more than {MaxPoints} crash points");
        return 0;
    }

    public void Dispose() => _client.Dispose();

    private static async Task<HttpResponseMessage?> TrySendAsync(InterruptedWrite write, int point, CancellationToken ct)
    {
        try
        {
            return await write.SendAsync(point, ct);
        }
        catch (HttpRequestException)
        {
            return null; // The registry died under the request.
        }
    }

    /// <summary>No half rows anywhere, the write whole or absent, and never absent after it was whole.</summary>
    private bool InspectRows(InterruptedWrite write, int point, List<bool> done, out IReadOnlyList<string> emptyRepositories)
    {
        using var rows = _openRows();
        Assert.Empty(rows.Problems());
        var bytesMissing = rows.Strings("SELECT digest FROM nscr_blobs").Where(d => !File.Exists(BlobFile(d))).ToList();
        Assert.True(bytesMissing.Count == 0, $"committed blobs whose bytes are not stored: {string.Join(", ", bytesMissing)}");
        var inRows = write.DoneInRows(rows, point);
        Assert.False(done.Count > 0 && done[^1] && !inRows, $"{write.Name}: whole at crash point {point - 1}, absent at {point}");
        done.Add(inRows);
        emptyRepositories = rows.Strings("SELECT name FROM nscr_repositories WHERE manifest_count = 0");
        return inRows;
    }

    /// <summary>Where the file system blob store keeps a blob: blobs/&lt;algorithm&gt;/&lt;first 2 hex&gt;/&lt;hex&gt;.</summary>
    private string BlobFile(string digest)
    {
        var (algorithm, hex) = (digest[..digest.IndexOf(':')], digest[(digest.IndexOf(':') + 1)..]);
        return Path.Combine(_registry.DataDir, "blobs", algorithm, hex[..2], hex);
    }

    /// <summary>
    /// A first push lists its repository before its manifest is written (the GC fence of docs/DESIGN.md): a crash in
    /// between leaves the catalog naming an empty repository. The next GC cycle must drop it.
    /// </summary>
    private async Task CollectEmptyRepositoriesAsync(IReadOnlyList<string> empty, CancellationToken ct)
    {
        var catalog = await CatalogAsync(ct);
        var ghosts = new List<string>();
        foreach (var repository in catalog)
        {
            using var tags = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/tags/list"), ct);
            if (tags.StatusCode == HttpStatusCode.NotFound) ghosts.Add(repository);
        }
        Assert.True(ghosts.All(empty.Contains), $"the catalog names repositories that hold nothing: {string.Join(", ", ghosts)}");
        if (ghosts.Count == 0) return;
        _scope.Step($"the catalog names empty {string.Join(", ", ghosts)}: a GC cycle drops it");
        using (var gc = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/gc?wait=true"), ct))
        {
            await RegistryClient.ExpectAsync(gc, HttpStatusCode.OK);
        }
        Assert.Empty((await CatalogAsync(ct)).Intersect(ghosts));
    }

    private async Task<IReadOnlyList<string>> CatalogAsync(CancellationToken ct)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "v2/_catalog?n=1000"), ct);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!).ToList();
    }

    private async Task AssertFsckCleanAsync(CancellationToken ct)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/fsck"), ct);
        await RegistryClient.ExpectAsync(response, HttpStatusCode.OK);
        var report = await response.Content.ReadAsStringAsync(ct);
        using var json = JsonDocument.Parse(report);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean(), $"fsck: {report}");
    }
}
