using Nscr.Gateway.Logging;

namespace Nscr.Gateway.Auth.Credentials;

/// <summary>
/// The current contents of the htpasswd file, re-read when its modification time or length changes (checked at most
/// once per <see cref="CheckInterval"/>, on use). A file that disappears or cannot be read keeps the last good copy.
/// </summary>
public sealed class HtpasswdStore
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string path;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private volatile HtpasswdFile current;
    private (DateTime Modified, long Length) seen;
    private long nextCheck;

    public HtpasswdStore(string path, TimeProvider time, ILogger logger)
    {
        this.path = path;
        this.time = time;
        this.logger = logger;
        if (!File.Exists(path)) throw new FileNotFoundException($"The htpasswd file {path} (Nscr:Auth:Htpasswd / NSCR_HTPASSWD) does not exist.", path);
        current = Load() ?? throw new IOException($"The htpasswd file {path} cannot be read.");
    }

    /// <summary>Raised after a reload, so caches of verified passwords are dropped.</summary>
    public event Action? Reloaded;

    public HtpasswdFile Current
    {
        get
        {
            var now = time.GetTimestamp();
            if (now < Volatile.Read(ref nextCheck)) return current;
            lock (gate)
            {
                if (now < nextCheck) return current;
                nextCheck = now + (long)(CheckInterval.TotalSeconds * time.TimestampFrequency);
                if (Stamp() != seen && Load() is { } reloaded)
                {
                    current = reloaded;
                    Reloaded?.Invoke();
                }
                return current;
            }
        }
    }

    private (DateTime, long) Stamp()
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? (info.LastWriteTimeUtc, info.Length) : seen;
        }
        catch (IOException)
        {
            return seen;
        }
    }

    private HtpasswdFile? Load()
    {
        try
        {
            var stamp = Stamp();
            var file = HtpasswdFile.Parse(File.ReadAllText(path));
            seen = stamp;
            foreach (var problem in file.Problems) Log.HtpasswdLineSkipped(logger, path, problem.Line, problem.User ?? "?", problem.Reason);
            Log.HtpasswdLoaded(logger, path, file.Hashes.Count);
            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.HtpasswdUnreadable(logger, path, e.Message);
            return null;
        }
    }
}
