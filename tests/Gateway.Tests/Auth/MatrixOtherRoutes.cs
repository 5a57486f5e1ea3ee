using System.Net;
using System.Text.Json;
using static Nscr.Gateway.Tests.Auth.MatrixRoute;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>
/// The routes outside /v2/ that came with the CLI's admin API, observability and the dashboard, plus the auth endpoints
/// and spellings a gate matching paths by hand could miss (other case, the /api/ catch-all).
/// </summary>
public static class MatrixOtherRoutes
{
    public static readonly MatrixRoute[] All =
    [
        new("GET /api/status", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/api/status"))),
        new("GET /API/STATUS", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/API/STATUS"))),
        new("GET /api/usage", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/api/usage"))),
        new("GET /api/repositories", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/api/repositories"))),
        new("GET /api/repositories/{name}", Need.Admin, HttpStatusCode.OK, WithImage(i => Request(HttpMethod.Get, $"/api/repositories/{i.Repository}"))),
        new("GET /api/repositories/{name}/tags", Need.Admin, HttpStatusCode.OK, WithImage(i => Request(HttpMethod.Get, $"/api/repositories/{i.Repository}/tags"))),
        new("GET /api/repositories/{name}/manifests/{tag}", Need.Admin, HttpStatusCode.OK,
            WithImage(i => Request(HttpMethod.Get, $"/api/repositories/{i.Repository}/manifests/{i.Tag}"))),
        new("GET /api/repositories/{name}/manifests/{digest}", Need.Admin, HttpStatusCode.OK,
            WithImage(i => Request(HttpMethod.Get, $"/api/repositories/{i.Repository}/manifests/{i.Image.Digest}"))),
        new("DELETE /api/repositories/{name}/tags/{tag}", Need.Admin, HttpStatusCode.Accepted,
            WithImage(i => Request(HttpMethod.Delete, $"/api/repositories/{i.Repository}/tags/{i.Tag}"))),
        new("DELETE /api/repositories/{name}/manifests/{digest}", Need.Admin, HttpStatusCode.Accepted,
            WithImage(i => Request(HttpMethod.Delete, $"/api/repositories/{i.Repository}/manifests/{i.Image.Digest}"))),
        new("GET /api/repositories/{name}/manifests", Need.Admin, HttpStatusCode.OK,
            WithImage(i => Request(HttpMethod.Get, $"/api/repositories/{i.Repository}/manifests"))),
        new("GET /api/retention", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/api/retention"))),
        new("DELETE /api/retention", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Delete, "/api/retention"))),
        new("GET /api/gc/{id}", Need.Admin, HttpStatusCode.OK, async c => Request(HttpMethod.Get, $"/api/gc/{await DryRunIdAsync(c)}")),
        new("PUT /api/unknown", Need.Admin, HttpStatusCode.MethodNotAllowed, Now(_ => Request(HttpMethod.Put, "/api/unknown"))),
        new("GET /metrics", Need.Metrics, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/metrics"))),
        new("GET /dashboard", Need.Admin, HttpStatusCode.MovedPermanently, Now(_ => Request(HttpMethod.Get, "/dashboard"))),
        new("GET /dashboard/", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/dashboard/"))),
        new("GET /dashboard/index.html", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/dashboard/index.html"))),
        new("GET /dashboard/version", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/dashboard/version"))),
        new("GET /Dashboard/DashboardCounters", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/Dashboard/DashboardCounters"))),
        new("GET /dashboard/ClusterStats", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/dashboard/ClusterStats"))),
        new("GET /healthz", Need.Open, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/healthz"))),
        new("HEAD /healthz", Need.Open, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Head, "/healthz"))),
        new("GET /readyz", Need.Open, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/readyz"))),
        new("POST /auth/token", Need.Open, HttpStatusCode.MethodNotAllowed, Now(_ => Request(HttpMethod.Post, "/auth/token"))),
        new("POST /auth/login", Need.Open, HttpStatusCode.OK, Now(c => Request(HttpMethod.Post, "/auth/login",
            AuthRegistry.JsonContent(new { username = "reader", password = c.Password("reader") })))),
        new("POST /auth/logout", Need.Logout, HttpStatusCode.NoContent, Now(_ => Request(HttpMethod.Post, "/auth/logout"))),
    ];

    /// <summary>The id of a dry-run GC cycle run (as the admin) for this row.</summary>
    private static async Task<long> DryRunIdAsync(MatrixContext context)
    {
        using var response = await context.Admin.Http.PostAsync("/api/gc?wait=true&dryRun=true", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetInt64();
    }
}
