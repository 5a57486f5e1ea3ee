namespace Nscr.Grains;

/// <summary>Names of the grain storage providers every grain state lives in.</summary>
public static class StorageNames
{
    /// <summary>The registry's metadata store (SQLite in embedded mode, PostgreSQL in a cluster).</summary>
    public const string Registry = "nscr";

    /// <summary>The state name of repository grains (their rows are listed by <see cref="Upgrade.ILegacyStates"/> until upgraded).</summary>
    public const string RepositoryState = "repository";

    /// <summary>The state name blob grains used before their rows (kept to find and upgrade old data).</summary>
    public const string BlobState = "blob";
}
