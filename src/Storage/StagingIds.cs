namespace Nscr.Storage;

/// <summary>
/// The one rule for staging ids, shared by every store: 1–64 characters of [A-Za-z0-9_-]. Nothing else can
/// reach a path or an object key, so an id can never escape the staging area.
/// </summary>
public static class StagingIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? stagingId)
    {
        if (string.IsNullOrEmpty(stagingId) || stagingId.Length > MaxLength) return false;
        foreach (var c in stagingId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) return false;
        }
        return true;
    }

    /// <exception cref="ArgumentException">The id breaks the rule.</exception>
    public static void ThrowIfInvalid(string? stagingId)
    {
        if (!IsValid(stagingId))
        {
            throw new ArgumentException($"invalid staging id (expected 1-{MaxLength} characters of [A-Za-z0-9_-])", nameof(stagingId));
        }
    }
}
