using System.Net;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Auth;

/// <summary>What a route needs from its caller.</summary>
public enum Need
{
    AnyUser,
    Catalog,
    Pull,
    PublicPull,
    Push,
    Delete,
    Admin,
    TokenEndpoint,
    Session,
    /// <summary>Answered to everyone, whatever credentials (valid, wrong or none) come with the request.</summary>
    Open,
    /// <summary>The admin role, unless Nscr:Auth:AnonymousMetrics opens it.</summary>
    Metrics,
    /// <summary>POST /auth/logout: anyone, but a live session cookie needs its CSRF header.</summary>
    Logout,
}

/// <summary>Prepares what one matrix row touches (as the admin) and remembers the repositories involved.</summary>
public sealed class MatrixContext(AuthRegistry registry)
{
    public List<string> Repositories { get; } = [];

    public RegistryClient Admin => registry.Admin;

    public string Password(string user) => registry.Passwords[user];

    public string Repository(string prefix = "team")
    {
        var name = TestContent.Repository(prefix);
        Repositories.Add(name);
        return name;
    }

    public async Task<(string Repository, string Tag, PushedImage Image)> ImageAsync(string prefix = "team")
    {
        var repository = Repository(prefix);
        var tag = TestContent.Tag();
        return (repository, tag, await Admin.PushImageAsync(repository, tag));
    }
}

/// <summary>One route of the matrix: how to build its request and the status it answers when allowed.</summary>
public sealed record MatrixRoute(string Name, Need Need, HttpStatusCode Success, Func<MatrixContext, Task<HttpRequestMessage>> Build)
{
    /// <summary>Every route: the registry's, then the admin API's and the other endpoints (<see cref="MatrixOtherRoutes"/>).</summary>
    public static readonly MatrixRoute[] All = [.. RegistryRoutes(), .. MatrixOtherRoutes.All];

    private static MatrixRoute[] RegistryRoutes() =>
    [
        new("GET /v2/", Need.AnyUser, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/v2/"))),
        new("GET /v2/_catalog", Need.Catalog, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/v2/_catalog"))),
        new("GET tags/list", Need.Pull, HttpStatusCode.OK, async c => Get((await c.ImageAsync()).Repository, "tags/list")),
        new("GET manifest", Need.Pull, HttpStatusCode.OK, WithImage(i => Get(i.Repository, $"manifests/{i.Tag}"))),
        new("HEAD manifest", Need.Pull, HttpStatusCode.OK, WithImage(i => Head(i.Repository, $"manifests/{i.Tag}"))),
        new("GET blob", Need.Pull, HttpStatusCode.OK, WithImage(i => Get(i.Repository, $"blobs/{i.Image.Layers[0].Digest}"))),
        new("HEAD blob", Need.Pull, HttpStatusCode.OK, WithImage(i => Head(i.Repository, $"blobs/{i.Image.Layers[0].Digest}"))),
        new("GET referrers", Need.Pull, HttpStatusCode.OK, WithImage(i => Get(i.Repository, $"referrers/{i.Image.Digest}"))),
        new("GET public manifest", Need.PublicPull, HttpStatusCode.OK, WithImage(i => Get(i.Repository, $"manifests/{i.Tag}"), "public")),
        new("PUT manifest", Need.Push, HttpStatusCode.Created, async c =>
        {
            var repository = c.Repository();
            var (config, layer) = await c.Admin.PushConfigAndLayerAsync(repository);
            var body = ManifestBuilder.Bytes(ManifestBuilder.Image(config, [layer]));
            return Request(HttpMethod.Put, $"/v2/{repository}/manifests/v1", RegistryClient.Content(body, MediaTypes.OciManifest));
        }),
        new("DELETE manifest", Need.Delete, HttpStatusCode.Accepted, WithImage(i => Delete(i.Repository, $"manifests/{i.Image.Digest}"))),
        new("DELETE tag", Need.Delete, HttpStatusCode.Accepted, WithImage(i => Delete(i.Repository, $"manifests/{i.Tag}"))),
        new("DELETE blob", Need.Delete, HttpStatusCode.Accepted, async c =>
        {
            var repository = c.Repository();
            return Delete(repository, $"blobs/{(await c.Admin.PushRandomBlobAsync(repository)).Digest}");
        }),
        new("POST upload", Need.Push, HttpStatusCode.Accepted, Now(c => Request(HttpMethod.Post, $"/v2/{c.Repository()}/blobs/uploads/"))),
        new("POST monolithic upload", Need.Push, HttpStatusCode.Created, Now(c =>
        {
            var bytes = TestContent.RandomBytes(300);
            return Request(HttpMethod.Post, $"/v2/{c.Repository()}/blobs/uploads/?digest={Digest.Compute(bytes)}", RegistryClient.Octets(bytes));
        })),
        new("PATCH upload", Need.Push, HttpStatusCode.Accepted, async c =>
            Request(HttpMethod.Patch, await c.Admin.StartUploadAsync(c.Repository()), RegistryClient.Octets(TestContent.RandomBytes(100)))),
        new("PUT upload", Need.Push, HttpStatusCode.Created, async c =>
        {
            var bytes = TestContent.RandomBytes(200);
            var location = await c.Admin.StartUploadAsync(c.Repository());
            return Request(HttpMethod.Put, $"{location}{(location.Contains('?') ? '&' : '?')}digest={Digest.Compute(bytes)}", RegistryClient.Octets(bytes));
        }),
        new("GET upload", Need.Push, HttpStatusCode.NoContent, async c => Request(HttpMethod.Get, await c.Admin.StartUploadAsync(c.Repository()))),
        new("DELETE upload", Need.Push, HttpStatusCode.NoContent, async c => Request(HttpMethod.Delete, await c.Admin.StartUploadAsync(c.Repository()))),
        new("POST mount", Need.Push, HttpStatusCode.Created, async c =>
        {
            var (source, _, image) = await c.ImageAsync();
            return Request(HttpMethod.Post, $"/v2/{c.Repository()}/blobs/uploads/?mount={image.Layers[0].Digest}&from={source}");
        }),
        new("POST /api/gc", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Post, "/api/gc?wait=true&dryRun=true"))),
        new("GET /api/gc", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/api/gc"))),
        new("POST /api/fsck", Need.Admin, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Post, "/api/fsck"))),
        new("DELETE /api/repositories", Need.Admin, HttpStatusCode.Accepted, WithImage(i => new HttpRequestMessage(HttpMethod.Delete, $"/api/repositories/{i.Repository}"))),
        new("GET /auth/token", Need.TokenEndpoint, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/auth/token?service=nscr&scope=repository:team/x:pull"))),
        new("GET /auth/session", Need.Session, HttpStatusCode.OK, Now(_ => Request(HttpMethod.Get, "/auth/session"))),
    ];

    public override string ToString() => Name;

    internal static HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null) =>
        new(method, path) { Content = content };

    internal static Func<MatrixContext, Task<HttpRequestMessage>> Now(Func<MatrixContext, HttpRequestMessage> make) =>
        c => Task.FromResult(make(c));

    /// <summary>Pushes an image (as the admin) into a new repository, then builds the request from it.</summary>
    internal static Func<MatrixContext, Task<HttpRequestMessage>> WithImage(
        Func<(string Repository, string Tag, PushedImage Image), HttpRequestMessage> make, string prefix = "team") =>
        async c => make(await c.ImageAsync(prefix));

    private static HttpRequestMessage Get(string repository, string rest) => new(HttpMethod.Get, $"/v2/{repository}/{rest}");

    private static HttpRequestMessage Head(string repository, string rest) => new(HttpMethod.Head, $"/v2/{repository}/{rest}");

    private static HttpRequestMessage Delete(string repository, string rest) => new(HttpMethod.Delete, $"/v2/{repository}/{rest}");
}
