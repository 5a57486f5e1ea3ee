using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Nscr.Oci;

/// <summary>A content digest such as <c>sha256:…</c>. Only sha256 and sha512 are accepted.</summary>
[GenerateSerializer, Immutable]
[Alias("nscr.Digest")]
public readonly record struct Digest
{
    [Id(0)] public string Algorithm { get; }
    [Id(1)] public string Hex { get; }

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    public override string ToString() => Algorithm is null ? "" : $"{Algorithm}:{Hex}";

    /// <exception cref="OciException">DIGEST_INVALID: malformed, or an algorithm other than sha256 and sha512.</exception>
    public static Digest Parse(string value)
    {
        if (TryParse(value, out var digest)) return digest;
        var message = value is not null && IsUnsupportedAlgorithm(value)
            ? $"unsupported digest algorithm '{Truncate(value[..value.IndexOf(':')])}' (supported: {Sha256}, {Sha512})"
            : $"invalid digest '{Truncate(value)}'";
        throw new OciException(OciErrorCode.DigestInvalid, message);
    }

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest)
    {
        digest = default;
        if (value is null) return false;
        var colon = value.IndexOf(':');
        if (colon <= 0) return false;
        var algorithm = value[..colon];
        var hex = value[(colon + 1)..];
        var expected = algorithm switch { Sha256 => 64, Sha512 => 128, _ => -1 };
        if (expected < 0 || hex.Length != expected) return false;
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigitLower(c)) return false;
        }
        digest = new Digest(algorithm, hex);
        return true;
    }

    /// <summary>True when the string has the general digest shape but names an algorithm we do not support.</summary>
    public static bool IsUnsupportedAlgorithm(string value)
    {
        var colon = value.IndexOf(':');
        return colon > 0 && value[..colon] is not (Sha256 or Sha512) && value.Length < 256;
    }

    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash) =>
        new(algorithm, Convert.ToHexStringLower(hash));

    public static Digest Compute(ReadOnlySpan<byte> content, string algorithm = Sha256)
    {
        Span<byte> hash = stackalloc byte[64];
        var written = algorithm == Sha512 ? SHA512.HashData(content, hash) : SHA256.HashData(content, hash);
        return FromHash(algorithm, hash[..written]);
    }

    public HashAlgorithmName HashAlgorithm => Algorithm == Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    internal static string Truncate(string? s) => s is null ? "" : s.Length <= 80 ? s : s[..80] + "…";
}
