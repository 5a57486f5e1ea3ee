namespace Nscr.Silo.Postgres;

/// <summary>
/// The SQL Orleans' ADO.NET grain storage runs on PostgreSQL (same contract as the embedded SQLite queries): it binds
/// ServiceId, GrainTypeString (the state name), GrainIdN0/N1, GrainIdExtensionString, GrainStateVersion (the ETag,
/// null for a record never written) and PayloadBinary, and reads back PayloadBinary and Version (no row: no record),
/// NewGrainStateVersion on a write (no row: stale ETag, the provider throws InconsistentStateException), and one value
/// that differs from the ETag on a clear or delete (no row: stale).
/// </summary>
internal static class GrainStateQueries
{
    private const string MatchesKey = """
        service_id = @ServiceId::text AND state_name = @GrainTypeString::text AND grain_id_n0 = @GrainIdN0::bigint
        AND grain_id_n1 = @GrainIdN1::bigint AND grain_id_extension = COALESCE(@GrainIdExtensionString::text, '')
        """;

    // The ETag is parsed as an int by the provider: wrap instead of overflowing.
    private const string NextVersion = "CASE WHEN version >= 2147483647 THEN 1 ELSE version + 1 END";

    internal static IReadOnlyList<(string Key, string Text)> All { get; } =
    [
        ("ReadFromStorageKey", $"""
            SELECT payload AS "PayloadBinary", version AS "Version" FROM nscr_grain_state WHERE {MatchesKey};
            """),
        // At most one branch touches a row: update the expected version, or create the record when the grain believes
        // there is none (a concurrent creator makes the insert do nothing: no row, a conflict).
        ("WriteToStorageKey", $"""
            WITH updated AS (
                UPDATE nscr_grain_state SET payload = @PayloadBinary::bytea, version = {NextVersion}
                WHERE @GrainStateVersion::integer IS NOT NULL AND {MatchesKey} AND version = @GrainStateVersion::integer
                RETURNING version),
            inserted AS (
                INSERT INTO nscr_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, version, payload)
                SELECT @ServiceId::text, @GrainTypeString::text, @GrainIdN0::bigint, @GrainIdN1::bigint,
                    COALESCE(@GrainIdExtensionString::text, ''), 1, @PayloadBinary::bytea
                WHERE @GrainStateVersion::integer IS NULL
                ON CONFLICT DO NOTHING
                RETURNING version)
            SELECT version AS "NewGrainStateVersion" FROM updated
            UNION ALL SELECT version FROM inserted;
            """),
        ("ClearStorageKey", $"""
            UPDATE nscr_grain_state SET payload = NULL, version = {NextVersion}
            WHERE {MatchesKey} AND version = @GrainStateVersion::integer
            RETURNING version AS "Version";
            """),
        // Returns version + 1: the provider reads a value equal to the ETag as a conflict.
        ("DeleteStorageKey", $"""
            DELETE FROM nscr_grain_state
            WHERE {MatchesKey} AND version = @GrainStateVersion::integer
            RETURNING version + 1 AS "Version";
            """),
    ];
}
