namespace Nscr.Silo;

/// <summary>
/// An exclusive lock on <c>&lt;dataDir&gt;/nscr.lock</c> held while an embedded registry runs (flock: the kernel
/// releases it when the process dies, even by kill -9). A second registry on the same data dir and
/// <c>Nscr.Silo migrate</c> both find it taken and refuse to go on.
/// </summary>
public sealed class DataDirLock : IDisposable
{
    public const string FileName = "nscr.lock";

    private readonly FileStream file;

    private DataDirLock(FileStream file)
    {
        this.file = file;
    }

    /// <summary>Takes the lock, or returns null when another process (or another host in this one) holds it.</summary>
    public static DataDirLock? TryAcquire(string dataDir)
    {
        try
        {
            return new DataDirLock(new FileStream(Path.Combine(dataDir, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static DataDirLock Acquire(string dataDir) =>
        TryAcquire(dataDir) ?? throw new InvalidOperationException(
            $"another nscr process is using the data dir '{dataDir}' ({FileName} is locked): stop it first.");

    public void Dispose() => file.Dispose();
}
