using Nscr.Gateway.Oci;

namespace Nscr.Gateway.Auth;

/// <summary>The action a /v2/ request needs on its repository, as Distribution maps them.</summary>
public static class RouteAccess
{
    /// <summary>
    /// Reads (GET/HEAD of manifests, blobs, tags, referrers) need pull; DELETE of a manifest or blob needs delete;
    /// everything else that touches a repository — uploads in every step, manifest PUT — needs push and pull.
    /// </summary>
    public static RepositoryActions Required(OciResource resource, string method)
    {
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return resource is OciResource.Upload ? RepositoryActions.Pull | RepositoryActions.Push : RepositoryActions.Pull;
        }
        if (HttpMethods.IsDelete(method) && resource is OciResource.Manifest or OciResource.Blob) return RepositoryActions.Delete;
        return RepositoryActions.Pull | RepositoryActions.Push;
    }

    public static bool IsRepositoryRoute(OciResource resource) =>
        resource is not (OciResource.Base or OciResource.Catalog or OciResource.Unknown);

    public static bool IsStateChanging(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
}
