using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Nscr.Silo.Configuration;

/// <summary>
/// Orleans settings of one process (section "Nscr"): embedded or cluster mode, the role of a gateway process and the
/// silo's endpoints. <c>NSCR_POSTGRES</c> switches to cluster mode.
/// </summary>
public sealed class NscrClusterOptions
{
    public const string Section = NscrSection.Name;

    public const string NodeRole = "node";
    public const string GatewayRole = "gateway";

    [Description("Npgsql connection string of the cluster database (PostgreSQL). Setting it switches the process to cluster mode; without it the registry runs embedded (SQLite under the data dir).")]
    public string? Postgres { get; set; }

    [Description("Role of a registry (gateway) process in cluster mode: 'node' co-hosts a silo, 'gateway' is a pure Orleans client of the cluster's silos.")]
    public string Role { get; set; } = NodeRole;

    [Description("Orleans silo-to-silo port; 0 picks a free port.")]
    [Range(0, 65535)]
    public int SiloPort { get; set; }

    [Description("Orleans client gateway port of a cluster silo (what pure gateways connect to); 0 picks a free port.")]
    [Range(0, 65535)]
    public int GatewayPort { get; set; }

    [Description("IP address other silos and gateways reach this silo at (cluster mode); a non-loopback address makes the silo listen on every interface.")]
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Description("Orleans cluster id: processes sharing the PostgreSQL database and this id form one cluster.")]
    [Required]
    public string ClusterId { get; set; } = "nscr";

    [Description("Orleans service id: grain state and reminders in PostgreSQL are scoped by it; keep it stable across deployments.")]
    [Required]
    public string ServiceId { get; set; } = "nscr";

    [Description("Serve the Orleans dashboard at /dashboard. Default: on in cluster mode, off in embedded mode, where it would cost ~75 MB of memory, more than half the registry's own.")]
    public bool? Dashboard { get; set; }

    /// <summary>Whether the dashboard runs: <see cref="Dashboard"/> when set, else only in cluster mode.</summary>
    public bool DashboardEnabled => Dashboard ?? IsCluster;

    public bool IsCluster => !string.IsNullOrWhiteSpace(Postgres);

    public bool IsPureGateway => IsCluster && string.Equals(Role, GatewayRole, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Reads and validates <see cref="NscrClusterOptions"/>, failing start-up with messages naming the settings.</summary>
public static class ClusterSettings
{
    public static NscrClusterOptions Read(IConfiguration configuration, bool requireCluster = false)
    {
        var options = configuration.GetSection(NscrClusterOptions.Section).Get<NscrClusterOptions>() ?? new NscrClusterOptions();
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var problems = results.Select(r => r.ErrorMessage ?? "invalid setting").ToList();
        if (!IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            problems.Add($"AdvertisedAddress '{options.AdvertisedAddress}' (NSCR_ADVERTISED_ADDRESS) is not an IP address.");
        }
        if (options.Role is not { } role
            || !(role.Equals(NscrClusterOptions.NodeRole, StringComparison.OrdinalIgnoreCase)
                 || role.Equals(NscrClusterOptions.GatewayRole, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"Role '{options.Role}' (NSCR_ROLE) must be '{NscrClusterOptions.NodeRole}' or '{NscrClusterOptions.GatewayRole}'.");
        }
        else if (!options.IsCluster && role.Equals(NscrClusterOptions.GatewayRole, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("Role 'gateway' (NSCR_ROLE) needs a cluster: set Postgres (NSCR_POSTGRES) to the cluster database's connection string.");
        }
        if (requireCluster && !options.IsCluster)
        {
            problems.Add("Postgres (NSCR_POSTGRES) is required: the standalone silo only runs in cluster mode.");
        }
        if (options.IsCluster && !IsConnectionString(options.Postgres!))
        {
            // Never echo the value: it may hold a password.
            problems.Add("Postgres (NSCR_POSTGRES) is not a valid Npgsql connection string (e.g. 'Host=db;Database=nscr;Username=nscr;Password=...').");
        }
        if (problems.Count > 0) throw new OptionsValidationException(NscrClusterOptions.Section, typeof(NscrClusterOptions), problems);
        return options;
    }

    private static bool IsConnectionString(string text)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            return !string.IsNullOrEmpty(builder.Host);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
