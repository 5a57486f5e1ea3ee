namespace Nscr.Gateway.Auth.Credentials;

/// <summary>One parse of an htpasswd file: user → bcrypt hash. Lines with other hash kinds are reported, never used.</summary>
public sealed class HtpasswdFile
{
    private const int DefaultCost = 10;

    private HtpasswdFile(Dictionary<string, string> hashes, List<HtpasswdProblem> problems)
    {
        Hashes = hashes;
        Problems = problems;
        DummyHash = BCrypt.Net.BCrypt.HashPassword(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)), TypicalCost(hashes.Values));
    }

    public IReadOnlyDictionary<string, string> Hashes { get; }

    /// <summary>
    /// A hash of a random password with the cost most of the file's hashes use, checked for unknown users so that
    /// their answer takes as long as a wrong password of a real one (made per parse: a reload may change the cost).
    /// </summary>
    public string DummyHash { get; }

    /// <summary>Lines that were skipped: line number, user (when known) and why — never the hash itself.</summary>
    public IReadOnlyList<HtpasswdProblem> Problems { get; }

    public static HtpasswdFile Parse(string text)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<HtpasswdProblem>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                problems.Add(new(i + 1, null, "not a user:hash line"));
                continue;
            }
            var user = line[..colon];
            var hash = line[(colon + 1)..];
            if (!IsBcrypt(hash))
            {
                problems.Add(new(i + 1, user, "not a bcrypt hash (make it with htpasswd -B)"));
                continue;
            }
            if (!hashes.TryAdd(user, hash)) problems.Add(new(i + 1, user, "user listed twice; the first line wins"));
        }
        return new HtpasswdFile(hashes, problems);
    }

    /// <summary>The most common cost among the hashes (the higher one on a tie); 10 for an empty file.</summary>
    public static int TypicalCost(IEnumerable<string> hashes) =>
        hashes.GroupBy(h => int.Parse(h.AsSpan(4, 2), System.Globalization.CultureInfo.InvariantCulture))
            .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key)
            .Select(g => g.Key).DefaultIfEmpty(DefaultCost).First();

    /// <summary>$2a$, $2b$ or $2y$, a two-digit cost, then 53 characters of salt and hash.</summary>
    public static bool IsBcrypt(string hash) =>
        hash.Length == 60
        && hash.StartsWith("$2", StringComparison.Ordinal)
        && hash[2] is 'a' or 'b' or 'y'
        && hash[3] == '$'
        && char.IsAsciiDigit(hash[4]) && char.IsAsciiDigit(hash[5])
        && hash[6] == '$';
}

public sealed record HtpasswdProblem(int Line, string? User, string Reason);
