using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nscr.Gateway.Auth.Tokens;

/// <summary>A verified token: who it was issued to (null for an anonymous one) and what it grants.</summary>
public sealed record VerifiedToken(string? Subject, IReadOnlyList<TokenAccess> Access, DateTimeOffset Expires)
{
    public RepositoryActions ActionsOn(string repository) => Access
        .Where(a => a.Type == TokenAccess.RepositoryType && a.Name == repository)
        .Aggregate(RepositoryActions.None, (all, a) => all | a.Actions);

    public bool GrantsCatalog => Access.Any(a => a.Type == TokenAccess.RegistryType && a.Name == TokenAccess.CatalogName);
}

/// <summary>
/// Issues and verifies the registry's bearer tokens: compact JWS, ES256 only, with iss, sub, aud (the service),
/// exp, nbf, iat, jti and Distribution's <c>access</c> claim. Verification accepts nothing but this server's own
/// algorithm and key (no "none", no algorithm taken from the token), checks issuer, audience and the time window
/// with a small skew.
/// </summary>
public sealed class RegistryTokens(SigningKey key, AuthOptions options, TimeProvider time)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private const int MaxTokenLength = 16 * 1024;

    public (string Token, DateTimeOffset IssuedAt, TimeSpan Lifetime) Issue(string? subject, IReadOnlyList<TokenAccess> access)
    {
        var now = time.GetUtcNow();
        var lifetime = options.TokenLifetimeValue;
        var header = Json(json =>
        {
            json.WriteString("alg", "ES256");
            json.WriteString("typ", "JWT");
            json.WriteString("kid", key.KeyId);
        });
        var payload = Json(json =>
        {
            json.WriteString("iss", options.Issuer);
            json.WriteString("sub", subject ?? "");
            json.WriteString("aud", options.Service);
            json.WriteNumber("exp", (now + lifetime).ToUnixTimeSeconds());
            json.WriteNumber("nbf", now.ToUnixTimeSeconds());
            json.WriteNumber("iat", now.ToUnixTimeSeconds());
            json.WriteString("jti", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
            json.WriteStartArray("access");
            foreach (var entry in access)
            {
                json.WriteStartObject();
                json.WriteString("type", entry.Type);
                json.WriteString("name", entry.Name);
                json.WriteStartArray("actions");
                foreach (var name in entry.Type == TokenAccess.RegistryType ? ["*"] : RepositoryActionNames.Names(entry.Actions)) json.WriteStringValue(name);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        });
        var signingInput = $"{Base64Url.EncodeToString(header)}.{Base64Url.EncodeToString(payload)}";
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return ($"{signingInput}.{Base64Url.EncodeToString(signature)}", now, lifetime);
    }

    /// <summary>The token's grants, or null when it is malformed, forged, expired, not yet valid or for another service.</summary>
    public VerifiedToken? Verify(string token)
    {
        if (token.Length > MaxTokenLength) return null;
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var signature = Base64Url.DecodeFromChars(parts[2]);
            var signingInput = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
            if (signature.Length != 64 || !HeaderIsOurs(Base64Url.DecodeFromChars(parts[0]))) return null;
            if (!key.Key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)) return null;
            return ReadPayload(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException or CryptographicException)
        {
            return null;
        }
    }

    private bool HeaderIsOurs(byte[] header)
    {
        using var document = JsonDocument.Parse(header);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String && alg.GetString() == "ES256"
            && (!root.TryGetProperty("kid", out var kid) || kid.GetString() == key.KeyId);
    }

    private VerifiedToken? ReadPayload(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return null;
        if (!root.TryGetProperty("iss", out var iss) || iss.GetString() != options.Issuer) return null;
        if (!root.TryGetProperty("aud", out var aud) || !AudienceMatches(aud)) return null;
        if (!root.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expires)) return null;
        if (!root.TryGetProperty("nbf", out var nbf) || !nbf.TryGetInt64(out var notBefore)) return null;
        var now = time.GetUtcNow();
        if (DateTimeOffset.FromUnixTimeSeconds(expires) + ClockSkew <= now) return null;
        if (DateTimeOffset.FromUnixTimeSeconds(notBefore) - ClockSkew > now) return null;
        var subject = root.TryGetProperty("sub", out var sub) ? sub.GetString() : null;
        var access = new List<TokenAccess>();
        if (root.TryGetProperty("access", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in entries.EnumerateArray())
            {
                var type = entry.GetProperty("type").GetString() ?? "";
                var name = entry.GetProperty("name").GetString() ?? "";
                var actions = entry.GetProperty("actions").EnumerateArray().Select(a => a.GetString() ?? "");
                access.Add(new TokenAccess(type, name, RepositoryActionNames.ParseList(actions)));
            }
        }
        return new VerifiedToken(string.IsNullOrEmpty(subject) ? null : subject, access, DateTimeOffset.FromUnixTimeSeconds(expires));
    }

    private bool AudienceMatches(JsonElement aud) => aud.ValueKind switch
    {
        JsonValueKind.String => aud.GetString() == options.Service,
        JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == options.Service),
        _ => false,
    };

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
