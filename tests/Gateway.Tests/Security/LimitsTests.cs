using System.Diagnostics;
using System.Net;
using System.Text;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Security;

public sealed class LimitsTests : IAsyncLifetime
{
    private ConfiguredRegistry _registry = null!;
    private RegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _registry = await ConfiguredRegistry.StartAsync(new Dictionary<string, string?>
        {
            ["Nscr:Limits:RequestBodyGrace"] = "1.5s",
            ["Nscr:Limits:MaxRequestHeadersBytes"] = "16384",
            ["Nscr:Limits:MaxRequestLineBytes"] = "4096",
        });
        _client = new RegistryClient(_registry.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task StalledPatch_IsCutAfterTheGrace_AndTheSessionCanResume()
    {
        var repository = TestContent.Repository("stall");
        var location = await _client.StartUploadAsync(repository);

        using var socket = await RawHttp.ConnectAsync(_registry.BaseAddress, CancellationToken.None);
        var head = $"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        await socket.SendAsync(new byte[10]);
        var stopwatch = Stopwatch.StartNew();

        // Nothing more is sent: the server must close the connection on its own (the body is below the minimum rate).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = await RawHttp.ReadToEndAsync(socket, deadline.Token);
        Assert.False(deadline.IsCancellationRequested, "the stalled upload was not cut within 30 s");
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(0.5), $"cut after {stopwatch.Elapsed}, before the grace period");
        var response = RawHttp.Parse(answer);
        Assert.True(response.Status is 0 or >= 400 and < 500, $"a stalled upload answered {response.Status}");

        // The write lease is released: the client can ask where it stands and continue.
        var chunk = TestContent.RandomBytes(1000);
        await PollAsync(async () =>
        {
            using var patch = await _client.SendAsync(new HttpMethod("PATCH"), location, RegistryClient.Octets(chunk));
            return patch.StatusCode == HttpStatusCode.Accepted;
        });
        using var status = await _client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-999", OciAssert.Header(status, "Range"));
    }

    [Fact]
    public async Task OversizedHeaders_Are431()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        request.Headers.Add("X-Padding", new string('a', 20_000));
        using var response = await _client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task OverlongRequestLine_Is414()
    {
        var response = await RawHttp.SendAsync(_registry.BaseAddress, $"GET /v2/{new string('a', 5000)}/tags/list HTTP/1.1\r\nHost: 127.0.0.1");
        Assert.Equal(414, response.Status);
    }

    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "condition not met within 20 s");
            await Task.Delay(50);
        }
    }
}
