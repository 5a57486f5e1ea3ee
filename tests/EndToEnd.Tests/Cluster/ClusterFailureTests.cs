using System.Collections.Concurrent;
using System.Diagnostics;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Cluster;

/// <summary>A silo dies, the whole cluster restarts: nothing acknowledged is lost and the cluster keeps serving.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class ClusterFailureTests(LocalClusterFixture fixture, ITestOutputHelper output)
{
    private const int Workers = 3;
    private const int LayerBytes = 256 * 1024;
    private const int PushesAfterTheKill = 6;
    private const int KilledSilo = 2;
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(90);

    private LocalCluster Cluster => fixture.Cluster;

    private sealed record Push(string Tag, OciLayout Source, TimeSpan StartedAt, ToolResult Result);

    [Fact]
    public Task KillingASiloDuringAStreamOfPushesLosesNoAcknowledgedImage() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        scope.AddLogSource(Cluster);
        const string repository = "e2e/cluster-kill";
        var layouts = scope.NewTempDirectory("oci");
        var clock = Stopwatch.StartNew();
        var pushes = new ConcurrentBag<Push>();
        TimeSpan? killedAt = null;
        var counter = 0;

        bool Enough() => killedAt is { } kill && pushes.Count(p => p.StartedAt > kill && p.Result.ExitCode == 0) >= PushesAfterTheKill;
        bool GiveUp() => killedAt is { } kill && clock.Elapsed > kill + RecoveryDeadline;

        async Task WorkerAsync()
        {
            while (!Enough() && !GiveUp())
            {
                var tag = $"t{Interlocked.Increment(ref counter):D3}";
                var source = RandomImage.Write(layouts.Combine(tag), tag, LayerBytes);
                var startedAt = clock.Elapsed;
                // skopeo's own retry; a push it gives up on must say why (non-zero exit and a message).
                var result = await Tool.RunAsync("skopeo", ["copy", "--retry-times", "3", "--dest-tls-verify=false",
                    source.ReferenceFor(tag), $"docker://{Cluster.LoadBalancerHostPort}/{repository}:{tag}"], ct);
                pushes.Add(new Push(tag, source, startedAt, result));
            }
        }

        scope.Step($"{Workers} workers pushing through the load balancer");
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkerAsync, ct)).ToList();
        await WaitUntilAsync(() => pushes.Count(p => p.Result.ExitCode == 0) >= 3, TimeSpan.FromSeconds(60), ct);
        scope.Step($"SIGKILL silo {KilledSilo} after {pushes.Count} pushes");
        await Cluster.KillSiloAsync(KilledSilo, ct);
        killedAt = clock.Elapsed;
        await Task.WhenAll(workers);
        Assert.True(Enough(), $"fewer than {PushesAfterTheKill} pushes succeeded in the {RecoveryDeadline.TotalSeconds} s after the kill");
        scope.Step($"{pushes.Count} pushes, {pushes.Count(p => p.Result.ExitCode != 0)} failed; restarting silo {KilledSilo}");
        await Cluster.StartSiloAsync(KilledSilo, ct);

        foreach (var failed in pushes.Where(p => p.Result.ExitCode != 0))
        {
            scope.Step($"{failed.Tag} failed: {failed.Result.StandardError.Trim().Split('\n').Last()}");
            Assert.False(string.IsNullOrWhiteSpace(failed.Result.StandardError), $"{failed.Tag} failed without an error: {failed.Result}");
        }
        var acknowledged = pushes.Where(p => p.Result.ExitCode == 0).OrderBy(p => p.Tag).ToList();
        scope.Step($"pulling back the {acknowledged.Count} acknowledged images through the load balancer");
        using var balancer = new RegistryClient(Cluster.LoadBalancer);
        foreach (var push in acknowledged)
        {
            await ClusterImages.ExpectServedAsync(balancer, repository, push.Tag, push.Source, ct);
        }
        var tags = await balancer.ListTagsAsync(repository, ct);
        Assert.Empty(acknowledged.Select(p => p.Tag).Except(tags));
    }, TimeSpan.FromMinutes(4));

    [Fact]
    public Task RestartingTheWholeClusterKeepsEverything() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        scope.AddLogSource(Cluster);
        var source = RandomImage.Write(scope.NewTempDirectory("oci").Path, "v1", LayerBytes);
        await Skopeo.PushAsync(source.ReferenceFor("v1"), $"docker://{Cluster.LoadBalancerHostPort}/e2e/cluster-restart:v1", ct);
        var pids = Cluster.Pids();
        Assert.Equal(["gateway1", "gateway2", "nginx", "postgres", "silo1", "silo2", "silo3"], pids.Keys.Order());

        scope.Step("down");
        await Cluster.DownAsync(ct);
        Assert.Equal(3, (await Cluster.StatusAsync(ct)).ExitCode);
        Assert.Empty(Cluster.Pids());
        Assert.All(pids, p => Assert.False(IsAlive(p.Value), $"{p.Key} ({p.Value}) still runs after down"));

        scope.Step("up on the same state directory");
        await Cluster.UpAsync(ct);
        Assert.Equal(0, (await Cluster.StatusAsync(ct)).ExitCode);
        for (var gateway = 1; gateway <= LocalCluster.Gateways; gateway++)
        {
            using var client = new RegistryClient(Cluster.Gateway(gateway));
            await ClusterImages.ExpectServedAsync(client, "e2e/cluster-restart", "v1", source, ct);
        }
    }, TimeSpan.FromMinutes(4));

    [Fact]
    public Task TheGcReminderFiresOncePerIntervalForTheWholeCluster() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        scope.AddLogSource(Cluster);
        var interval = LocalClusterFixture.GcInterval;
        var window = interval * 5;
        using var balancer = new RegistryClient(Cluster.LoadBalancer);
        var before = await GcHistory.ReadAsync(balancer, ct);
        scope.Step($"watching {window.TotalSeconds} s of GC cycles (interval {interval.TotalSeconds} s, {LocalCluster.Silos} silos)");
        await Task.Delay(window, ct);
        var after = await GcHistory.ReadAsync(balancer, ct);

        var scheduled = after.Where(c => c.Trigger == "reminder" && !before.Any(b => b.Id == c.Id))
            .OrderBy(c => c.StartedAt).ToList();
        scope.Step($"{scheduled.Count} scheduled cycles: {string.Join(", ", scheduled.Select(c => $"#{c.Id} {c.StartedAt:HH:mm:ss.fff}"))}");
        // Once per interval: about window / interval cycles (one more or less at the edges), not one per silo.
        var expected = (int)(window / interval);
        Assert.InRange(scheduled.Count, expected - 2, expected + 1);
        foreach (var (previous, next) in scheduled.Zip(scheduled.Skip(1)))
        {
            Assert.True(next.StartedAt - previous.StartedAt > interval / 2,
                $"cycles #{previous.Id} and #{next.Id} started {(next.StartedAt - previous.StartedAt).TotalMilliseconds} ms apart");
        }
    });

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"condition not met within {timeout}");
            }
            await Task.Delay(100, ct);
        }
    }
}
