using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Nscr.Gateway.Auth.Credentials;

/// <summary>
/// Checks user + password against the htpasswd file. A success is remembered for a short while under an HMAC of
/// user and password (with a key that lives only in this process), so a client sending Basic on every request pays
/// bcrypt once per cache period; the password itself is never kept. Unknown users cost a bcrypt check of the same cost
/// (<see cref="HtpasswdFile.DummyHash"/>), so the answer time does not tell which users exist.
/// </summary>
public sealed class PasswordVerifier
{
    private const int MaxCachedEntries = 10_000;

    private readonly HtpasswdStore store;
    private readonly TimeProvider time;
    private readonly TimeSpan cacheTime;
    private readonly byte[] cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> verified = new(StringComparer.Ordinal);

    public PasswordVerifier(HtpasswdStore store, TimeProvider time, TimeSpan cacheTime)
    {
        this.store = store;
        this.time = time;
        this.cacheTime = cacheTime;
        store.Reloaded += verified.Clear;
    }

    public bool Verify(string user, string password)
    {
        var file = store.Current;
        var key = cacheTime > TimeSpan.Zero ? CacheKey(user, password) : null;
        var now = time.GetUtcNow();
        if (key is not null && verified.TryGetValue(key, out var until) && until > now) return true;
        var known = file.Hashes.TryGetValue(user, out var hash);
        bool ok;
        try
        {
            ok = BCrypt.Net.BCrypt.Verify(password, known ? hash : file.DummyHash) && known;
        }
        catch (BCrypt.Net.SaltParseException)
        {
            ok = false;
        }
        if (ok && key is not null)
        {
            if (verified.Count >= MaxCachedEntries) verified.Clear();
            verified[key] = now + cacheTime;
        }
        return ok;
    }

    /// <summary>How many successes are remembered (tests).</summary>
    public int CachedCount => verified.Count;

    /// <summary>Whether this user and password would be accepted from the cache, without bcrypt (tests).</summary>
    public bool IsCached(string user, string password) =>
        verified.TryGetValue(CacheKey(user, password), out var until) && until > time.GetUtcNow();

    private string CacheKey(string user, string password)
    {
        var input = Encoding.UTF8.GetBytes($"{user}\0{password}");
        try
        {
            return Convert.ToBase64String(HMACSHA256.HashData(cacheKey, input));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }
}
