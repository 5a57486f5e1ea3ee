using System.Text;
using Nscr.Oci;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>Unique names and random content, so tests sharing a registry never see each other's data.</summary>
public static class TestContent
{
    /// <summary>A repository name no other test uses, e.g. <c>blobs/3f2a9c0d1e7b</c>.</summary>
    public static string Repository(string prefix) => $"{prefix}/{Guid.NewGuid().ToString("N")[..12]}";

    public static string Tag(string prefix = "t") => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A blob whose digest is known but which nobody uploaded.</summary>
    public static Digest UnknownDigest() => Digest.Compute(RandomBytes(32));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
