using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Http;

public sealed class MountTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    private Task<HttpResponseMessage> MountAsync(string repository, Digest digest, string? from) =>
        Client.SendAsync(HttpMethod.Post,
            $"/v2/{repository}/blobs/uploads/?mount={digest}" + (from is null ? "" : $"&from={from}"),
            RegistryClient.Octets([]));

    [Fact]
    public async Task Mount_FromARepositoryThatHasTheBlob_Is201_AndLinksIt()
    {
        var source = TestContent.Repository("mount-src");
        var target = TestContent.Repository("mount-dst");
        var content = TestContent.RandomBytes(1500);
        var blob = await Client.PushBlobAsync(source, content);

        using var mount = await MountAsync(target, blob.Digest, source);
        using var pulled = await Client.GetAsync($"/v2/{target}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, mount);
        Assert.Equal($"/v2/{target}/blobs/{blob.Digest}", mount.Headers.Location?.ToString());
        Assert.Equal(blob.Digest.ToString(), OciAssert.Header(mount, "Docker-Content-Digest"));
        await OciAssert.StatusAsync(HttpStatusCode.OK, pulled);
        Assert.Equal(content, await pulled.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Mount_WithoutFrom_IsAutomatic_WhenTheBlobIsStoredAnywhere()
    {
        var source = TestContent.Repository("mount-src");
        var target = TestContent.Repository("mount-dst");
        var blob = await Client.PushRandomBlobAsync(source);

        using var mount = await MountAsync(target, blob.Digest, from: null);
        using var head = await Client.HeadAsync($"/v2/{target}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, mount);
        Assert.Equal($"/v2/{target}/blobs/{blob.Digest}", mount.Headers.Location?.ToString());
        await OciAssert.StatusAsync(HttpStatusCode.OK, head);
    }

    [Fact]
    public async Task Mount_OfAnUnknownBlob_FallsBackToAnUploadSession()
    {
        var source = TestContent.Repository("mount-src");
        var target = TestContent.Repository("mount-dst");
        await Client.PushRandomBlobAsync(source);
        var content = TestContent.RandomBytes(700);

        using var mount = await MountAsync(target, Digest.Compute(content), source);

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, mount);
        var location = mount.Headers.Location!.ToString();
        Assert.StartsWith($"/v2/{target}/blobs/uploads/", location);
        Assert.Equal("0-0", OciAssert.Header(mount, "Range"));
        using var put = await Client.CompleteAsync(location, Digest.Compute(content), content);
        await OciAssert.StatusAsync(HttpStatusCode.Created, put);
    }

    [Fact]
    public async Task Mount_FromARepositoryThatLacksTheBlob_FallsBackToAnUploadSession()
    {
        var holder = TestContent.Repository("mount-src");
        var other = TestContent.Repository("mount-src");
        var target = TestContent.Repository("mount-dst");
        var blob = await Client.PushRandomBlobAsync(holder);
        await Client.PushRandomBlobAsync(other);

        using var mount = await MountAsync(target, blob.Digest, other);
        using var head = await Client.HeadAsync($"/v2/{target}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Accepted, mount);
        Assert.StartsWith($"/v2/{target}/blobs/uploads/", mount.Headers.Location!.ToString());
        await OciAssert.StatusAsync(HttpStatusCode.NotFound, head);
    }

    [Fact]
    public async Task MountedBlob_SurvivesDeletionFromTheSource()
    {
        var source = TestContent.Repository("mount-src");
        var target = TestContent.Repository("mount-dst");
        var blob = await Client.PushRandomBlobAsync(source);
        using var mount = await MountAsync(target, blob.Digest, source);

        using var delete = await Client.DeleteAsync($"/v2/{source}/blobs/{blob.Digest}");
        using var head = await Client.HeadAsync($"/v2/{target}/blobs/{blob.Digest}");

        await OciAssert.StatusAsync(HttpStatusCode.Created, mount);
        await OciAssert.StatusAsync(HttpStatusCode.Accepted, delete);
        await OciAssert.StatusAsync(HttpStatusCode.OK, head);
    }
}
