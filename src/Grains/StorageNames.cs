namespace Nscr.Grains;

/// <summary>Names of the grain storage providers every grain state lives in.</summary>
public static class StorageNames
{
    /// <summary>The registry's metadata store (SQLite in embedded mode, PostgreSQL in a cluster).</summary>
    public const string Registry = "nscr";

    /// <summary>The state name of repository grains (their rows are listed by <see cref="Catalog.IStoredRepositories"/>).</summary>
    public const string RepositoryState = "repository";
}
