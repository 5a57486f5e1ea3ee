namespace Nscr.Grains;

/// <summary>Names of the grain storage providers every grain state lives in.</summary>
public static class StorageNames
{
    /// <summary>The registry's metadata store (SQLite in embedded mode, PostgreSQL in a cluster).</summary>
    public const string Registry = "nscr";
}
