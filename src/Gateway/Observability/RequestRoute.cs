namespace Nscr.Gateway.Observability;

/// <summary>The kinds of request metrics and request logs are labelled with: a small fixed set, never a raw path.</summary>
public static class RouteKinds
{
    public const string Base = "base";
    public const string Catalog = "catalog";
    public const string Manifest = "manifest";
    public const string Blob = "blob";
    public const string Upload = "upload";
    public const string Tags = "tags";
    public const string Referrers = "referrers";
    public const string Api = "api";
    public const string Health = "health";
    public const string Metrics = "metrics";
    public const string Other = "other";
}

/// <summary>
/// A request's route kind, repository and reference, found with a few string searches (the hot path cannot afford the
/// OCI router's regex twice). Mirrors <see cref="Oci.OciRoute"/>'s shapes: the resource is recognised by its suffix.
/// </summary>
public readonly record struct RequestRoute(string Kind, string? Repository, string? Reference)
{
    public static RequestRoute Classify(string? path)
    {
        if (string.IsNullOrEmpty(path)) return new(RouteKinds.Other, null, null);
        if (path.StartsWith("/v2", StringComparison.Ordinal)) return ClassifyOci(path.AsSpan(3));
        if (path.StartsWith("/api/", StringComparison.Ordinal) || path == "/api") return new(RouteKinds.Api, null, null);
        if (path is "/healthz" or "/readyz") return new(RouteKinds.Health, null, null);
        if (path == "/metrics") return new(RouteKinds.Metrics, null, null);
        return new(RouteKinds.Other, null, null);
    }

    private static RequestRoute ClassifyOci(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty || rest is "/") return new(RouteKinds.Base, null, null);
        if (rest[0] != '/') return new(RouteKinds.Other, null, null);
        rest = rest[1..];
        if (rest is "_catalog" or "_catalog/") return new(RouteKinds.Catalog, null, null);
        if (rest.EndsWith("/tags/list")) return Named(RouteKinds.Tags, rest[..^"/tags/list".Length], default);
        if (rest.EndsWith("/blobs/uploads")) return Named(RouteKinds.Upload, rest[..^"/blobs/uploads".Length], default);
        if (rest.EndsWith("/blobs/uploads/")) return Named(RouteKinds.Upload, rest[..^"/blobs/uploads/".Length], default);
        var slash = rest.LastIndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1) return new(RouteKinds.Other, null, null);
        var prefix = rest[..slash];
        var argument = rest[(slash + 1)..];
        if (prefix.EndsWith("/blobs/uploads")) return Named(RouteKinds.Upload, prefix[..^"/blobs/uploads".Length], default);
        if (prefix.EndsWith("/manifests")) return Named(RouteKinds.Manifest, prefix[..^"/manifests".Length], argument);
        if (prefix.EndsWith("/blobs")) return Named(RouteKinds.Blob, prefix[..^"/blobs".Length], argument);
        if (prefix.EndsWith("/referrers")) return Named(RouteKinds.Referrers, prefix[..^"/referrers".Length], argument);
        return new(RouteKinds.Other, null, null);
    }

    private static RequestRoute Named(string kind, ReadOnlySpan<char> name, ReadOnlySpan<char> reference) =>
        name.IsEmpty ? new(RouteKinds.Other, null, null) : new(kind, name.ToString(), reference.IsEmpty ? null : reference.ToString());
}
