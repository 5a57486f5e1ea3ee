using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Nscr.Gateway.Auth.Tokens;

/// <summary>
/// The ECDSA P-256 key that signs registry tokens (ES256), and the HMAC key derived from it that signs session
/// cookies. Loaded from a PEM file; created with mode 600 when missing (written aside and moved into place, so two
/// gateways starting together on a shared directory end up with the same key).
/// </summary>
public sealed class SigningKey : IDisposable
{
    private SigningKey(ECDsa key)
    {
        Key = key;
        var parameters = key.ExportParameters(includePrivateParameters: true);
        SessionKey = HMACSHA256.HashData(parameters.D!, Encoding.ASCII.GetBytes("nscr web session"));
        CryptographicOperations.ZeroMemory(parameters.D);
        var publicKey = key.ExportSubjectPublicKeyInfo();
        KeyId = Base64Url.EncodeToString(SHA256.HashData(publicKey).AsSpan(0, 12));
    }

    public ECDsa Key { get; }

    /// <summary>A short identifier of the public key (the JWS "kid").</summary>
    public string KeyId { get; }

    public byte[] SessionKey { get; }

    public static SigningKey LoadOrCreate(string path)
    {
        if (!File.Exists(path)) Create(path);
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        if (key.KeySize != 256) throw new CryptographicException($"The token key in {path} is not an ECDSA P-256 key.");
        return new SigningKey(key);
    }

    private static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            File.Delete(temporary);
        }
    }

    public void Dispose() => Key.Dispose();
}
