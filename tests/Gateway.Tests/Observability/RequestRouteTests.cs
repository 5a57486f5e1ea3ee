using Nscr.Gateway.Observability;

namespace Nscr.Gateway.Tests.Observability;

public sealed class RequestRouteTests
{
    [Theory]
    [InlineData("/v2/", "base", null, null)]
    [InlineData("/v2", "base", null, null)]
    [InlineData("/v2/_catalog", "catalog", null, null)]
    [InlineData("/v2/team/app/manifests/v1", "manifest", "team/app", "v1")]
    [InlineData("/v2/a/manifests/b/manifests/sha256:abc", "manifest", "a/manifests/b", "sha256:abc")]
    [InlineData("/v2/team/app/blobs/sha256:abc", "blob", "team/app", "sha256:abc")]
    [InlineData("/v2/team/app/blobs/uploads/", "upload", "team/app", null)]
    [InlineData("/v2/team/app/blobs/uploads", "upload", "team/app", null)]
    [InlineData("/v2/team/app/blobs/uploads/0123abc", "upload", "team/app", null)]
    [InlineData("/v2/team/app/tags/list", "tags", "team/app", null)]
    [InlineData("/v2/team/app/referrers/sha256:abc", "referrers", "team/app", "sha256:abc")]
    [InlineData("/v2/nonsense", "other", null, null)]
    [InlineData("/v2x/foo", "other", null, null)]
    [InlineData("/api/gc", "api", null, null)]
    [InlineData("/healthz", "health", null, null)]
    [InlineData("/readyz", "health", null, null)]
    [InlineData("/metrics", "metrics", null, null)]
    [InlineData("/", "other", null, null)]
    public void Classify_FindsKindRepositoryAndReference(string path, string kind, string? repository, string? reference)
    {
        Assert.Equal(new RequestRoute(kind, repository, reference), RequestRoute.Classify(path));
    }
}
