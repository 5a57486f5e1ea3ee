using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Nscr.Gateway.Tests.Infrastructure;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>
/// An htpasswd file alone lets every signed-in user do everything (admin included); listed admins narrow the admin
/// role only; once a rule is configured only the rules grant. Each default is warned about once at start-up.
/// </summary>
public sealed class DefaultAccessTests(HtpasswdOnlyRegistry alone, ListedAdminRegistry listedAdmin, RulesWithoutAdminsRegistry rules)
    : IClassFixture<HtpasswdOnlyRegistry>, IClassFixture<ListedAdminRegistry>, IClassFixture<RulesWithoutAdminsRegistry>
{
    private const int EveryUserMayDoEverything = 2020;
    private const int EveryUserIsAdmin = 2021;
    private const int NobodyIsAdmin = 2022;

    [Fact]
    public async Task AnHtpasswdFileAlone_LetsEverySignedInUserPushPullDeleteAndAdminister()
    {
        var repository = TestContent.Repository("any");
        using var alice = alone.Client("alice");
        using var bob = alone.Client("bob");
        using var anonymous = alone.Client(null);
        var image = await alice.PushImageAsync(repository, "v1");

        using (var pulled = await bob.GetAsync($"/v2/{repository}/manifests/v1")) Assert.Equal(image.Manifest.Body, await pulled.Content.ReadAsByteArrayAsync());
        using (var catalog = await bob.GetAsync("/v2/_catalog")) Assert.Contains(repository, await catalog.Content.ReadAsStringAsync());
        using (var status = await bob.GetAsync("/api/status")) Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        using (var metrics = await bob.GetAsync("/metrics")) Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        using (var deleted = await bob.DeleteAsync($"/v2/{repository}/manifests/v1")) Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        using (var denied = await anonymous.GetAsync($"/v2/{repository}/tags/list")) await OciAssert.ErrorAsync(denied, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        using (var closed = await anonymous.GetAsync("/api/status")) Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);

        // The token flow grants what was asked for, everywhere.
        using var token = await bob.GetAsync($"/auth/token?service=nscr&scope=repository:{repository}/deeper:pull,push,delete");
        using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        using var bearer = alone.Client(null);
        bearer.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("token").GetString());
        await bearer.PushImageAsync($"{repository}/deeper", "v1");

        AssertWarnedOnce(alone, EveryUserMayDoEverything, EveryUserIsAdmin);
    }

    [Fact]
    public async Task ListedAdmins_NarrowTheAdminRole_AndEverySignedInUserStillPushesAndPulls()
    {
        var repository = TestContent.Repository("any");
        using var alice = listedAdmin.Client("alice");
        using var bob = listedAdmin.Client("bob");
        await bob.PushImageAsync(repository, "v1");

        using (var pulled = await alice.GetAsync($"/v2/{repository}/manifests/v1")) Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        using (var refused = await bob.GetAsync("/api/status")) Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var status = await alice.GetAsync("/api/status")) Assert.Equal(HttpStatusCode.OK, status.StatusCode);

        AssertWarnedOnce(listedAdmin, EveryUserMayDoEverything);
    }

    [Fact]
    public async Task OnceARuleIsConfigured_OnlyTheRulesGrant_AndWithoutAdminsNobodyIsOne()
    {
        var repository = TestContent.Repository("x");
        using var alice = rules.Client("alice");
        using var bob = rules.Client("bob");

        using (var unknown = await bob.GetAsync($"/v2/{repository}/tags/list")) await OciAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        using (var noPush = await bob.SendAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/")) await OciAssert.ErrorAsync(noPush, HttpStatusCode.Forbidden, "DENIED");
        using (var noPull = await alice.GetAsync($"/v2/{repository}/tags/list")) await OciAssert.ErrorAsync(noPull, HttpStatusCode.Forbidden, "DENIED");
        foreach (var user in new[] { alice, bob })
        {
            using var refused = await user.GetAsync("/api/status");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        AssertWarnedOnce(rules, NobodyIsAdmin);
    }

    /// <summary>Each of the default warnings is logged once when it applies, never otherwise.</summary>
    private static void AssertWarnedOnce(DefaultAccessRegistry registry, params int[] warnings)
    {
        foreach (var warning in new[] { EveryUserMayDoEverything, EveryUserIsAdmin, NobodyIsAdmin })
        {
            Assert.True((warnings.Contains(warning) ? 1 : 0) == registry.Logged(warning), $"event {warning} logged {registry.Logged(warning)} times");
        }
    }
}
