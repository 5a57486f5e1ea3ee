namespace Nscr.Metadata;

/// <summary>The two databases the rows live in. The SQL is shared; only column types and table options differ.</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}
