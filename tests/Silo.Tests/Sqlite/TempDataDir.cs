using Microsoft.Data.Sqlite;

namespace Nscr.Silo.Tests.Sqlite;

/// <summary>A data dir under the system temp dir, removed with everything in it on dispose.</summary>
public sealed class TempDataDir : IDisposable
{
    public TempDataDir()
    {
        Path = Directory.CreateTempSubdirectory("nscr-silo-tests-").FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        // Pooled connections keep the database open; close the idle ones before deleting the files.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
