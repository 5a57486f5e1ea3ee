namespace Nscr.Silo.Postgres;

/// <summary>
/// The SQL Orleans' ADO.NET reminders run (Microsoft.Orleans.Reminders.AdoNet), stored in <c>OrleansQuery</c>. The
/// provider binds ServiceId, GrainId (GrainId.ToString()), ReminderName, GrainHash/BeginHash/EndHash (uniform hash
/// codes cast to signed ints), StartTime, Period (milliseconds) and Version (the ETag), and reads back GrainId,
/// ReminderName, StartTime, Period and Version per reminder; an upsert returns the new Version, a delete one
/// boolean. It picks ReadRangeRows1Key when begin &lt; end in signed order, ReadRangeRows2Key (the range wraps) otherwise.
/// </summary>
internal static class ReminderQueries
{
    private const string Columns = """
        grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period_ms AS "Period",
        version AS "Version"
        """;

    // The ETag is read as an int: stay in its range.
    private const string NextVersion = "CAST(nextval('nscr_reminder_version') % 2147483647 AS integer)";

    internal static IReadOnlyList<(string Key, string Text)> All { get; } =
    [
        ("UpsertReminderRowKey", $"""
            INSERT INTO nscr_reminders (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
            VALUES (@ServiceId::text, @GrainId::text, @ReminderName::text, @GrainHash::integer, @StartTime::timestamptz,
                @Period::bigint, {NextVersion})
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET
                grain_hash = excluded.grain_hash, start_time = excluded.start_time, period_ms = excluded.period_ms,
                version = excluded.version
            RETURNING version AS "Version";
            """),
        ("ReadReminderRowsKey", $"""
            SELECT {Columns} FROM nscr_reminders
            WHERE service_id = @ServiceId::text AND grain_id = @GrainId::text;
            """),
        ("ReadReminderRowKey", $"""
            SELECT {Columns} FROM nscr_reminders
            WHERE service_id = @ServiceId::text AND grain_id = @GrainId::text AND reminder_name = @ReminderName::text;
            """),
        ("ReadRangeRows1Key", $"""
            SELECT {Columns} FROM nscr_reminders
            WHERE service_id = @ServiceId::text AND grain_hash > @BeginHash::integer AND grain_hash <= @EndHash::integer;
            """),
        ("ReadRangeRows2Key", $"""
            SELECT {Columns} FROM nscr_reminders
            WHERE service_id = @ServiceId::text AND (grain_hash > @BeginHash::integer OR grain_hash <= @EndHash::integer);
            """),
        ("DeleteReminderRowKey", """
            WITH deleted AS (
                DELETE FROM nscr_reminders
                WHERE service_id = @ServiceId::text AND grain_id = @GrainId::text AND reminder_name = @ReminderName::text
                    AND version = @Version::integer
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM deleted);
            """),
        ("DeleteReminderRowsKey", """
            DELETE FROM nscr_reminders WHERE service_id = @ServiceId::text;
            """),
    ];
}
