namespace Nscr.Gateway.Api.Live;

/// <summary>One log entry as the live log feed keeps it: formatted once, with the feed's id.</summary>
public sealed record LogEntry(long Id, DateTimeOffset Time, LogLevel Level, string Category, int EventId, string Message, string? Exception)
{
    /// <summary>Whether the entry is at or above <paramref name="minimum"/> and contains <paramref name="search"/> (any case).</summary>
    public bool Matches(LogLevel minimum, string? search) =>
        Level >= minimum
        && (string.IsNullOrEmpty(search)
            || Message.Contains(search, StringComparison.OrdinalIgnoreCase)
            || Category.Contains(search, StringComparison.OrdinalIgnoreCase));
}
