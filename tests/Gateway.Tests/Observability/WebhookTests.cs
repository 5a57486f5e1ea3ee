using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Nscr.Gateway.Tests.Api;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Observability;

public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "webhook-test-secret";
    private WebhookReceiver receiver = null!;
    private GcRegistry registry = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        registry = await GcRegistry.StartAsync(new Dictionary<string, string>
        {
            ["Webhooks:InitialBackoff"] = "00:00:00.050",
            ["Webhooks:Source"] = "nscr-test",
            ["Webhooks:Endpoints:0:Url"] = receiver.BaseUrl + "/ok",
            ["Webhooks:Endpoints:0:Secret"] = Secret,
            ["Webhooks:Endpoints:1:Url"] = receiver.BaseUrl + "/flaky",
            ["Webhooks:Endpoints:1:Events:0"] = "manifest.pushed",
            ["Webhooks:Endpoints:2:Url"] = receiver.BaseUrl + "/hung",
            ["Webhooks:Endpoints:2:Events:0"] = "manifest.*",
            ["Webhooks:Endpoints:2:Timeout"] = "00:05:00",
        });
    }

    public async Task DisposeAsync()
    {
        receiver.ReleaseHung();
        await registry.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task Push_IsAnnouncedAsACloudEvent_Signed()
    {
        var image = await registry.Client.PushImageAsync("hooks/app", "v1");

        var pushed = await receiver.WaitForAsync("ok", r => r.Type == "io.nscr.manifest.pushed");
        Assert.StartsWith("application/cloudevents+json", pushed.ContentType);
        var json = pushed.Json;
        Assert.Equal("1.0", json.GetProperty("specversion").GetString());
        Assert.Equal("nscr-test", json.GetProperty("source").GetString());
        Assert.Equal("application/json", json.GetProperty("datacontenttype").GetString());
        Assert.True(DateTimeOffset.UtcNow - json.GetProperty("time").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        Assert.Equal("hooks/app", pushed.Data.GetProperty("repository").GetString());
        Assert.Equal("v1", pushed.Data.GetProperty("tag").GetString());
        Assert.Equal(image.Digest.ToString(), pushed.Data.GetProperty("digest").GetString());
        Assert.Equal(MediaTypes.OciManifest, pushed.Data.GetProperty("mediaType").GetString());
        Assert.Equal(image.Manifest.Body.Length, pushed.Data.GetProperty("size").GetInt64());
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(pushed.Body)));
        Assert.Equal(expected, pushed.Signature);
    }

    [Fact]
    public async Task AReceiverFailingTwice_GetsTheEventOnTheThirdAttempt()
    {
        var image = await registry.Client.PushImageAsync("hooks/flaky", "v1");

        var delivered = await receiver.WaitForAsync("flaky", r => r.Data.GetProperty("digest").GetString() == image.Digest.ToString());
        await receiver.WaitForAsync("ok", r => r.Type == "io.nscr.manifest.pushed" && r.Data.GetProperty("repository").GetString() == "hooks/flaky");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (receiver.At("flaky").Count(r => r.Id == delivered.Id) < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        var attempts = receiver.At("flaky").Where(r => r.Id == delivered.Id).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(delivered.Body, a.Body));
        Assert.Equal(3, receiver.At("flaky").Count);
    }

    [Fact]
    public async Task AHungReceiver_DoesNotSlowPushes()
    {
        await registry.Client.PushImageAsync("hooks/hung", "v1");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Volatile.Read(ref receiver.HungWaiting) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the hung receiver never got the first event");
            await Task.Delay(50);
        }

        // The receiver now holds its first event; pushes go on at full speed and other receivers still get theirs.
        var stopwatch = Stopwatch.StartNew();
        for (var i = 2; i <= 4; i++) await registry.Client.PushImageAsync("hooks/hung", $"v{i}");
        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"three pushes took {stopwatch.Elapsed} while a receiver hung");
        Assert.Equal(1, Volatile.Read(ref receiver.HungWaiting));
        await receiver.WaitForAsync("ok", r => r.Type == "io.nscr.manifest.pushed" && r.Data.GetProperty("tag").GetString() == "v4");
    }

    [Fact]
    public async Task Deletes_AndGarbageCollection_AreAnnounced_ToTheReceiversThatWantThem()
    {
        var image = await registry.Client.PushImageAsync("hooks/gone", "v1");
        await registry.Client.PushImageAsync("hooks/gone2", "v1");
        using (var tag = await registry.Client.DeleteAsync("/v2/hooks/gone/manifests/v1")) Assert.Equal(HttpStatusCode.Accepted, tag.StatusCode);
        using (var manifest = await registry.Client.DeleteAsync($"/v2/hooks/gone/manifests/{image.Digest}")) Assert.Equal(HttpStatusCode.Accepted, manifest.StatusCode);
        using (var repository = await registry.Client.DeleteAsync("/api/repositories/hooks/gone2")) Assert.Equal(HttpStatusCode.Accepted, repository.StatusCode);
        using (var gc = await registry.Client.SendAsync(HttpMethod.Post, "/api/gc?wait=true")) Assert.Equal(HttpStatusCode.OK, gc.StatusCode);

        var tagDeleted = await receiver.WaitForAsync("ok", r => r.Type == "io.nscr.tag.deleted");
        Assert.Equal("v1", tagDeleted.Data.GetProperty("tag").GetString());
        Assert.Equal("hooks/gone", tagDeleted.Data.GetProperty("repository").GetString());
        var manifestDeleted = await receiver.WaitForAsync("ok", r => r.Type == "io.nscr.manifest.deleted");
        Assert.Equal(image.Digest.ToString(), manifestDeleted.Data.GetProperty("digest").GetString());
        var repositoryDeleted = await receiver.WaitForAsync("ok", r => r.Type == "io.nscr.repository.deleted");
        Assert.Equal("hooks/gone2", repositoryDeleted.Data.GetProperty("repository").GetString());
        var collected = await receiver.WaitForAsync("ok", r => r.Type == "io.nscr.gc.completed");
        Assert.Equal("completed", collected.Data.GetProperty("state").GetString());
        Assert.True(collected.Data.GetProperty("deletedBlobs").GetInt32() >= 3);
        Assert.True(collected.Data.GetProperty("bytesReclaimed").GetInt64() > 0);
        // /flaky wants only pushes.
        Assert.All(receiver.At("flaky"), r => Assert.Equal("io.nscr.manifest.pushed", r.Type));
    }

    [Fact]
    public async Task Deletes_through_the_admin_API_are_announced_as_what_they_deleted()
    {
        var image = await registry.Client.PushImageAsync("hooks/admin", "v1");
        await registry.Client.PushImageAsync("hooks/admin", "v2");
        using (var tag = await registry.Client.DeleteAsync("/api/repositories/hooks/admin/tags/v2")) Assert.Equal(HttpStatusCode.Accepted, tag.StatusCode);
        using (var manifest = await registry.Client.DeleteAsync($"/api/repositories/hooks/admin/manifests/{image.Digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, manifest.StatusCode);
        }

        var tagDeleted = await receiver.WaitForAsync("ok", r => r.Type == "io.nscr.tag.deleted");
        Assert.Equal("hooks/admin", tagDeleted.Data.GetProperty("repository").GetString());
        Assert.Equal("v2", tagDeleted.Data.GetProperty("tag").GetString());
        Assert.Equal("hooks/admin:v2", tagDeleted.Json.GetProperty("subject").GetString());
        var manifestDeleted = await receiver.WaitForAsync("ok", r => r.Type == "io.nscr.manifest.deleted");
        Assert.Equal(image.Digest.ToString(), manifestDeleted.Data.GetProperty("digest").GetString());
        Assert.DoesNotContain(receiver.At("ok"), r => r.Type == "io.nscr.repository.deleted");
    }
}
