using Nscr.Gateway.Oci;

namespace Nscr.Gateway.Tests.Unit;

public sealed class OciRouteTests
{
    private const string Digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    public void Base(string? path)
    {
        Assert.Equal(new OciRoute(OciResource.Base, "", ""), OciRoute.Parse(path));
    }

    [Theory]
    [InlineData("_catalog")]
    [InlineData("_catalog/")]
    public void Catalog(string path)
    {
        Assert.Equal(new OciRoute(OciResource.Catalog, "", ""), OciRoute.Parse(path));
    }

    [Theory]
    [InlineData("ubuntu/manifests/latest", "ubuntu", "latest")]
    [InlineData("library/ubuntu/manifests/22.04", "library/ubuntu", "22.04")]
    [InlineData("a/b/c/d/manifests/" + Digest, "a/b/c/d", Digest)]
    [InlineData("team/manifests/app/manifests/v1", "team/manifests/app", "v1")]
    [InlineData("x/blobs/manifests/v1", "x/blobs", "v1")]
    public void Manifest(string path, string name, string reference)
    {
        Assert.Equal(new OciRoute(OciResource.Manifest, name, reference), OciRoute.Parse(path));
    }

    [Theory]
    [InlineData("ubuntu/blobs/" + Digest, "ubuntu")]
    [InlineData("library/ubuntu/blobs/" + Digest, "library/ubuntu")]
    [InlineData("a/blobs/blobs/" + Digest, "a/blobs")]
    public void Blob(string path, string name)
    {
        Assert.Equal(new OciRoute(OciResource.Blob, name, Digest), OciRoute.Parse(path));
    }

    [Theory]
    [InlineData("ubuntu/blobs/uploads", "ubuntu")]
    [InlineData("ubuntu/blobs/uploads/", "ubuntu")]
    [InlineData("library/ubuntu/blobs/uploads/", "library/ubuntu")]
    [InlineData("a/b/c/blobs/uploads", "a/b/c")]
    public void UploadStart_WithAndWithoutTrailingSlash(string path, string name)
    {
        Assert.Equal(new OciRoute(OciResource.UploadStart, name, ""), OciRoute.Parse(path));
    }

    [Theory]
    [InlineData("ubuntu/blobs/uploads/0f3c9a", "ubuntu", "0f3c9a")]
    [InlineData("library/ubuntu/blobs/uploads/abc-DEF_123", "library/ubuntu", "abc-DEF_123")]
    public void Upload_WithAnId(string path, string name, string id)
    {
        Assert.Equal(new OciRoute(OciResource.Upload, name, id), OciRoute.Parse(path));
    }

    [Theory]
    [InlineData("ubuntu/tags/list", "ubuntu")]
    [InlineData("library/ubuntu/tags/list", "library/ubuntu")]
    [InlineData("a/tags/list/tags/list", "a/tags/list")]
    public void Tags(string path, string name)
    {
        Assert.Equal(new OciRoute(OciResource.Tags, name, ""), OciRoute.Parse(path));
    }

    [Theory]
    [InlineData("ubuntu/referrers/" + Digest, "ubuntu")]
    [InlineData("library/ubuntu/referrers/" + Digest, "library/ubuntu")]
    public void Referrers(string path, string name)
    {
        Assert.Equal(new OciRoute(OciResource.Referrers, name, Digest), OciRoute.Parse(path));
    }

    [Theory]
    [InlineData("ubuntu")]
    [InlineData("library/ubuntu")]
    [InlineData("ubuntu/manifests")]
    [InlineData("ubuntu/manifests/")]
    [InlineData("ubuntu/manifests/latest/")]
    [InlineData("ubuntu/manifests/a/b")]
    [InlineData("manifests/latest")]
    [InlineData("/manifests/latest")]
    [InlineData("ubuntu/blobs")]
    [InlineData("ubuntu/blobs/")]
    [InlineData("ubuntu/blobs/uploads/id/extra")]
    [InlineData("ubuntu/tags")]
    [InlineData("ubuntu/tags/")]
    [InlineData("ubuntu/tags/list/")]
    [InlineData("ubuntu/tags/list/extra")]
    [InlineData("tags/list")]
    [InlineData("ubuntu/referrers")]
    [InlineData("ubuntu/referrers/")]
    [InlineData("ubuntu/something/else")]
    [InlineData("_catalog/extra")]
    public void UnknownShapes(string path)
    {
        Assert.Equal(OciResource.Unknown, OciRoute.Parse(path).Resource);
    }

    [Theory]
    [InlineData("Bad..Name/manifests/latest", OciResource.Manifest, "Bad..Name")]
    [InlineData("a\nb/tags/list", OciResource.Tags, "a\nb")]
    [InlineData("library/ubuntu\n/blobs/uploads/", OciResource.UploadStart, "library/ubuntu\n")]
    [InlineData("a%2Fb/tags/list", OciResource.Tags, "a%2Fb")]
    public void TheNameIsNotValidatedHere(string path, OciResource resource, string name)
    {
        var route = OciRoute.Parse(path);

        Assert.Equal(resource, route.Resource);
        Assert.Equal(name, route.Name);
    }

    [Theory]
    [InlineData("a/tags/list\n")]
    [InlineData("a/manifests/latest/\n")]
    public void ATrailingNewline_IsNotIgnored(string path)
    {
        Assert.Equal(OciResource.Unknown, OciRoute.Parse(path).Resource);
    }
}
