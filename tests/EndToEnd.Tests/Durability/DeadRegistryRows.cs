using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Nscr.EndToEnd.Tests.Durability;

/// <summary>
/// The metadata rows of a registry that was killed, read before anything starts on them again: from its SQLite file
/// (opening it replays the write-ahead log exactly as the next start would) or its PostgreSQL database. The queries
/// are the same text in both.
/// </summary>
internal sealed class DeadRegistryRows : IDisposable
{
    /// <summary>Rows that must never exist, each query naming what it found (a repository's counts must be its rows').</summary>
    private static readonly (string Problem, string Query)[] Inconsistencies =
    [
        ("tag count differs from the tag rows", "SELECT name FROM nscr_repositories r WHERE tag_count <> (SELECT count(*) FROM nscr_tags t WHERE t.repository = r.name)"),
        ("manifest count differs from the manifest rows", "SELECT name FROM nscr_repositories r WHERE manifest_count <> (SELECT count(*) FROM nscr_manifests m WHERE m.repository = r.name)"),
        ("manifests of a repository without its row", "SELECT DISTINCT repository FROM nscr_manifests m WHERE NOT EXISTS (SELECT 1 FROM nscr_repositories r WHERE r.name = m.repository)"),
        ("tag on a missing manifest", "SELECT repository || ':' || name FROM nscr_tags t WHERE NOT EXISTS (SELECT 1 FROM nscr_manifests m WHERE m.repository = t.repository AND m.digest = t.manifest)"),
        ("blob references of a missing manifest", "SELECT DISTINCT repository || '@' || manifest FROM nscr_manifest_blobs b WHERE NOT EXISTS (SELECT 1 FROM nscr_manifests m WHERE m.repository = b.repository AND m.digest = b.manifest)"),
        ("child references of a missing manifest", "SELECT DISTINCT repository || '@' || parent FROM nscr_manifest_children c WHERE NOT EXISTS (SELECT 1 FROM nscr_manifests m WHERE m.repository = c.repository AND m.digest = c.parent)"),
        ("reference to a blob that is not committed", "SELECT DISTINCT repository || '@' || manifest || ' -> ' || blob FROM nscr_manifest_blobs b WHERE NOT EXISTS (SELECT 1 FROM nscr_blobs c WHERE c.digest = b.blob)"),
        ("manifest whose bytes are nowhere", "SELECT repository || '@' || digest FROM nscr_manifests m WHERE m.body IS NULL AND NOT EXISTS (SELECT 1 FROM nscr_blobs c WHERE c.digest = m.digest)"),
        ("link of a blob that is not committed", "SELECT DISTINCT digest FROM nscr_blob_links l WHERE NOT EXISTS (SELECT 1 FROM nscr_blobs c WHERE c.digest = l.digest)"),
        ("manifest without any reference", "SELECT repository || '@' || digest FROM nscr_manifests m WHERE NOT EXISTS (SELECT 1 FROM nscr_manifest_blobs b WHERE b.repository = m.repository AND b.manifest = m.digest) AND NOT EXISTS (SELECT 1 FROM nscr_manifest_children c WHERE c.repository = m.repository AND c.parent = m.digest)"),
    ];

    private readonly DbConnection _connection;

    public DeadRegistryRows(DbConnection connection)
    {
        _connection = connection;
        _connection.Open();
    }

    /// <summary>The embedded registry's rows in <c>&lt;dataDir&gt;/nscr.db</c>.</summary>
    public static DeadRegistryRows Sqlite(string dataDir) => new(new SqliteConnection(new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDir, "nscr.db"),
        Mode = SqliteOpenMode.ReadWrite,
        // No pooling: the file must be closed before the registry starts on it again.
        Pooling = false,
    }.ToString()));

    /// <summary>Every half-written or miscounted row, as "problem: what".</summary>
    public IReadOnlyList<string> Problems() =>
        Inconsistencies.SelectMany(i => Strings(i.Query).Select(found => $"{i.Problem}: {found}")).ToList();

    public long Count(string query, params (string Name, object Value)[] parameters)
    {
        using var command = Command(query, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<string> Strings(string query, params (string Name, object Value)[] parameters)
    {
        using var command = Command(query, parameters);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    public void Dispose() => _connection.Dispose();

    private DbCommand Command(string query, (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = query;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
