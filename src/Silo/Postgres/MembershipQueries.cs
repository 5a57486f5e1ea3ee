namespace Nscr.Silo.Postgres;

/// <summary>
/// The SQL Orleans' ADO.NET clustering runs (Microsoft.Orleans.Clustering.AdoNet), stored in <c>OrleansQuery</c>.
/// The provider binds DeploymentId (the cluster id), Address/Port/Generation (a silo), SiloName, HostName, Status,
/// ProxyPort, SuspectTimes, StartTime, IAmAliveTime and Version (the table ETag it last read), and reads back:
/// <list type="bullet">
/// <item>reads: one row per silo with the table version, or a single row of nulls but the version when no silo
///   matches (hence the outer join from the version row);</item>
/// <item>inserts and updates: one boolean, true only when the version matched and the silo row was written; the
///   version is bumped in the same statement, so two silos racing on one ETag cannot both win;</item>
/// <item>gateways: Address, ProxyPort, Generation of active silos with a client gateway.</item>
/// </list>
/// Every parameter is cast: a null sent without a type would otherwise leave PostgreSQL unable to infer one.
/// </summary>
internal static class MembershipQueries
{
    private const string Silo = """
        deployment_id = @DeploymentId::text AND address = @Address::text AND port = @Port::integer
        AND generation = @Generation::integer
        """;

    private const string SiloColumns = """
        v.deployment_id AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
        m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
        m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime",
        v.version AS "Version"
        """;

    private const string BumpVersion = """
        UPDATE nscr_membership_version SET version = version + 1, changed_at = now()
        WHERE deployment_id = @DeploymentId::text AND version = @Version::integer
        RETURNING deployment_id
        """;

    internal static IReadOnlyList<(string Key, string Text)> All { get; } =
    [
        ("InsertMembershipVersionKey", """
            WITH inserted AS (
                INSERT INTO nscr_membership_version (deployment_id) VALUES (@DeploymentId::text)
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM inserted);
            """),
        ("InsertMembershipKey", $"""
            WITH bumped AS ({BumpVersion}),
            inserted AS (
                INSERT INTO nscr_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                    proxy_port, start_time, i_am_alive_time)
                SELECT deployment_id, @Address::text, @Port::integer, @Generation::integer, @SiloName::text,
                    @HostName::text, @Status::integer, COALESCE(@ProxyPort::integer, 0), @StartTime::timestamptz,
                    @IAmAliveTime::timestamptz
                FROM bumped
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM inserted);
            """),
        ("UpdateMembershipKey", $"""
            WITH bumped AS ({BumpVersion}),
            updated AS (
                UPDATE nscr_membership m
                SET status = @Status::integer, suspect_times = @SuspectTimes::text, i_am_alive_time = @IAmAliveTime::timestamptz
                FROM bumped
                WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address::text AND m.port = @Port::integer
                    AND m.generation = @Generation::integer
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM updated);
            """),
        // Heartbeats do not change the table version (the provider expects this write never to fail).
        ("UpdateIAmAlivetimeKey", $"""
            UPDATE nscr_membership SET i_am_alive_time = @IAmAliveTime::timestamptz WHERE {Silo};
            """),
        ("MembershipReadRowKey", $"""
            SELECT {SiloColumns}
            FROM nscr_membership_version v
            LEFT JOIN nscr_membership m ON m.deployment_id = v.deployment_id AND m.address = @Address::text
                AND m.port = @Port::integer AND m.generation = @Generation::integer
            WHERE v.deployment_id = @DeploymentId::text;
            """),
        ("MembershipReadAllKey", $"""
            SELECT {SiloColumns}
            FROM nscr_membership_version v
            LEFT JOIN nscr_membership m ON m.deployment_id = v.deployment_id
            WHERE v.deployment_id = @DeploymentId::text;
            """),
        ("GatewaysQueryKey", """
            SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
            FROM nscr_membership
            WHERE deployment_id = @DeploymentId::text AND status = @Status::integer AND proxy_port > 0;
            """),
        // The membership rows go with their version row (ON DELETE CASCADE).
        ("DeleteMembershipTableEntriesKey", """
            DELETE FROM nscr_membership_version WHERE deployment_id = @DeploymentId::text;
            """),
        // Only dead silos (status 6) are ever removed; a silo that is merely slow keeps its row.
        ("CleanupDefunctSiloEntriesKey", """
            DELETE FROM nscr_membership
            WHERE deployment_id = @DeploymentId::text AND status = 6 AND i_am_alive_time < @IAmAliveTime::timestamptz;
            """),
        // The provider has already checked the row's times; matching the key and the dead status is enough.
        ("CleanupDefunctSiloEntryKey", $"""
            DELETE FROM nscr_membership WHERE {Silo} AND status = 6;
            """),
    ];
}
