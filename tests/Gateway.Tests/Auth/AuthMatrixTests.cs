using System.Net;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>
/// Every route × every kind of caller: allowed ones answer the route's success status; the others get 401 (with a
/// challenge on /v2/) or 403, in the OCI error format, and leave the stored data exactly as it was.
/// </summary>
public sealed class AuthMatrixTests(AuthRegistry registry) : IClassFixture<AuthRegistry>
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in MatrixRoute.All)
        {
            foreach (var identity in MatrixIdentities.All) data.Add(route.Name, identity);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Route_AnswersWhatTheCallerMayDo(string routeName, string identity)
    {
        var route = MatrixRoute.All.Single(r => r.Name == routeName);
        var context = new MatrixContext(registry);
        using var http = registry.CreateHttp();
        using var request = await route.Build(context);
        await MatrixIdentities.ApplyAsync(registry, http, request, identity, context.Repositories);
        var registryRoute = request.RequestUri!.OriginalString.StartsWith("/v2", StringComparison.Ordinal);
        var stateChanging = request.Method != HttpMethod.Get && request.Method != HttpMethod.Head;
        var expected = MatrixIdentities.Expected(route, identity, stateChanging);
        var before = expected >= 400 ? await StoredData.SnapshotAsync(registry, context.Repositories) : null;

        using var response = await http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == (int)response.StatusCode, $"{routeName} as {identity}: expected {expected}, got {(int)response.StatusCode}: {body}");
        if (expected == (int)route.Success) return;
        if (registryRoute) await OciAssert.ErrorAsync(response, (HttpStatusCode)expected, expected == 401 ? "UNAUTHORIZED" : "DENIED");
        else StoredData.AssertError(body, expected == 401 ? "UNAUTHORIZED" : "DENIED");
        if (expected == 401 && registryRoute)
        {
            Assert.StartsWith($"Bearer realm=\"{registry.BaseAddress.ToString().TrimEnd('/')}/auth/token\",service=\"nscr\"", response.Headers.WwwAuthenticate.ToString());
        }
        Assert.Equal(before, await StoredData.SnapshotAsync(registry, context.Repositories));
    }
}
