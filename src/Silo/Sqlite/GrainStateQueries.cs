namespace Nscr.Silo.Sqlite;

/// <summary>
/// The SQL that Orleans' ADO.NET grain storage runs, stored in <c>OrleansQuery</c>. The provider binds
/// GrainTypeString (the state name), GrainIdN0/N1, GrainIdExtensionString, GrainStateVersion (the ETag as
/// an int, null for a record never written) and PayloadBinary, and reads back:
/// <list type="bullet">
/// <item>read: PayloadBinary and Version, no row when there is no record;</item>
/// <item>write: NewGrainStateVersion, no row when the ETag is stale (the provider then throws
///   InconsistentStateException);</item>
/// <item>clear/delete: one value that differs from the ETag on success, no row when it is stale.</item>
/// </list>
/// </summary>
internal static class GrainStateQueries
{
    private const string MatchesKey = """
        StateName = @GrainTypeString AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainIdExtension = COALESCE(@GrainIdExtensionString, '')
        """;

    // The ETag is parsed as an int by the provider: wrap instead of overflowing.
    private const string NextVersion = "CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END";

    internal const string Read = $"""
        SELECT Payload AS PayloadBinary, Version FROM GrainState WHERE {MatchesKey};
        """;

    // Two statements, at most one of which touches a row: update the expected version, or create the
    // record when the grain believes there is none.
    internal const string Write = $"""
        UPDATE GrainState SET Payload = @PayloadBinary, Version = {NextVersion}
        WHERE @GrainStateVersion IS NOT NULL AND {MatchesKey} AND Version = @GrainStateVersion
        RETURNING Version AS NewGrainStateVersion;
        INSERT INTO GrainState (StateName, GrainIdN0, GrainIdN1, GrainIdExtension, Version, Payload)
        SELECT @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''), 1, @PayloadBinary
        WHERE @GrainStateVersion IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version AS NewGrainStateVersion;
        """;

    /// <summary>Keeps the row with an empty payload (used when DeleteStateOnClear is false).</summary>
    internal const string Clear = $"""
        UPDATE GrainState SET Payload = NULL, Version = {NextVersion}
        WHERE {MatchesKey} AND Version = @GrainStateVersion
        RETURNING Version;
        """;

    /// <summary>
    /// Removes the row (DeleteStateOnClear, our setting: deleted blobs leave nothing behind). Returns
    /// Version + 1 because the provider reads a value equal to the ETag as a conflict.
    /// </summary>
    internal const string Delete = $"""
        DELETE FROM GrainState
        WHERE {MatchesKey} AND Version = @GrainStateVersion
        RETURNING Version + 1;
        """;

    internal static IReadOnlyList<(string Key, string Text)> All { get; } =
    [
        ("ReadFromStorageKey", Read),
        ("WriteToStorageKey", Write),
        ("ClearStorageKey", Clear),
        ("DeleteStorageKey", Delete),
    ];
}
