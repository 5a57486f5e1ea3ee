using System.Security.Cryptography;

namespace Nscr.Cli.Torture.Content;

public static class Digests
{
    public static string Sha256(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
