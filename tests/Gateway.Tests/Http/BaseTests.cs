using System.Net;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Http;

public sealed class BaseTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RegistryClient Client => registry.Client;

    [Theory]
    [InlineData("/v2/")]
    [InlineData("/v2")]
    public async Task Get_Answers200_WithTheApiVersionHeader(string path)
    {
        using var response = await Client.GetAsync(path);

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal("registry/2.0", OciAssert.Header(response, "Docker-Distribution-API-Version"));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Head_Answers200_WithoutABody()
    {
        using var response = await Client.HeadAsync("/v2/");

        await OciAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal("registry/2.0", OciAssert.Header(response, "Docker-Distribution-API-Version"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task BoundAddress_IsLoopback()
    {
        Assert.Equal("127.0.0.1", registry.BaseAddress.Host);
        Assert.NotEqual(0, registry.BaseAddress.Port);
        await Task.CompletedTask;
    }
}
