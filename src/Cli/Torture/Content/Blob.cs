namespace Nscr.Cli.Torture.Content;

/// <summary>What a manifest says about a blob or a manifest it points to.</summary>
public sealed record Descriptor(string MediaType, string Digest, long Size);

/// <summary>Bytes about to be pushed, with their digest.</summary>
public sealed class Blob
{
    public Blob(string mediaType, byte[] bytes)
        : this(mediaType, bytes, Digests.Sha256(bytes))
    {
    }

    /// <summary>The same bytes under another media type, without hashing them again.</summary>
    public Blob(string mediaType, byte[] bytes, string digest)
    {
        MediaType = mediaType;
        Bytes = bytes;
        Digest = digest;
    }

    public string MediaType { get; }

    public byte[] Bytes { get; }

    public string Digest { get; }

    public Descriptor Descriptor => new(MediaType, Digest, Bytes.Length);
}
