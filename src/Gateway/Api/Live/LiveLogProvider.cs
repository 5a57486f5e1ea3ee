namespace Nscr.Gateway.Api.Live;

/// <summary>
/// Copies every log entry that passes the logging filters into a <see cref="LiveFeed{T}"/> for <c>/api/logs</c>. Costs a
/// message format and a short lock per entry; never blocks on readers and never throws into the caller. It sees exactly
/// what the console sees, so what the code keeps out of logs (secrets) stays out of the feed.
/// </summary>
[ProviderAlias("Live")]
public sealed class LiveLogProvider(TimeProvider time) : ILoggerProvider
{
    public const int Capacity = 5000;

    /// <summary>An exception's text is cut here: a feed entry is for reading, the console keeps the whole trace.</summary>
    private const int MaxExceptionChars = 8 * 1024;

    public LiveFeed<LogEntry> Feed { get; } = new(Capacity);

    public ILogger CreateLogger(string categoryName) => new LiveLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Append(string category, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        var text = exception?.ToString();
        if (text is { Length: > MaxExceptionChars }) text = text[..MaxExceptionChars] + "…";
        var now = time.GetUtcNow();
        Feed.Append(id => new LogEntry(id, now, level, category, eventId.Id, message, text));
    }

    private sealed class LiveLogger(LiveLogProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.None) return;
            try
            {
                provider.Append(category, logLevel, eventId, formatter(state, exception), exception);
            }
            catch (Exception)
            {
                // A log call must never fail because of the live feed (a throwing ToString, say); the entry is skipped.
            }
        }
    }
}
