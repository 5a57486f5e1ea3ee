using Nscr.Oci;

namespace Nscr.Grains.Interfaces.Tests.Oci;

public sealed class MediaTypesTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.manifest.v1+json")]
    [InlineData("application/vnd.oci.image.manifest.v1+json; charset=utf-8", "application/vnd.oci.image.manifest.v1+json")]
    [InlineData("  application/json ;charset=utf-8", "application/json")]
    [InlineData("Application/VND.OCI.Image.Index.v1+JSON", "application/vnd.oci.image.index.v1+json")]
    [InlineData("application/octet-stream;", "application/octet-stream")]
    public void Normalize_StripsParametersAndWhitespace_AndLowercases(string? input, string expected)
    {
        Assert.Equal(expected, MediaTypes.Normalize(input));
    }

    [Theory]
    [InlineData(MediaTypes.OciManifest, false, true)]
    [InlineData(MediaTypes.DockerManifest, false, true)]
    [InlineData(MediaTypes.OciIndex, true, false)]
    [InlineData(MediaTypes.DockerManifestList, true, false)]
    [InlineData(MediaTypes.OciEmpty, false, false)]
    [InlineData("application/json", false, false)]
    [InlineData("application/vnd.docker.distribution.manifest.v1+prettyjws", false, false)]
    public void Classification(string mediaType, bool isIndex, bool isImageManifest)
    {
        Assert.Equal(isIndex, MediaTypes.IsIndex(mediaType));
        Assert.Equal(isImageManifest, MediaTypes.IsImageManifest(mediaType));
        Assert.Equal(isIndex || isImageManifest, MediaTypes.IsManifest(mediaType));
    }
}
