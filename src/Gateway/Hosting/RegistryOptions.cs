using System.ComponentModel.DataAnnotations;

namespace Nscr.Gateway.Hosting;

/// <summary>Settings of one registry process (section "Nscr"; env NSCR_PORT, NSCR_DATA_DIR, …; flags --port, --data-dir, …).</summary>
public sealed class RegistryOptions
{
    public const string Section = "Nscr";

    /// <summary>HTTP port; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 7000;

    /// <summary>Address to listen on.</summary>
    [Required]
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Where the database, blobs and staged uploads live.</summary>
    [Required]
    public string DataDir { get; set; } = "./data";

    /// <summary>Largest blob accepted, in bytes; 0 means no limit.</summary>
    [Range(0, long.MaxValue)]
    public long MaxBlobBytes { get; set; }

    /// <summary>Memory budget for cached manifest bodies, in bytes.</summary>
    [Range(0, 1L << 30)]
    public long ManifestCacheBytes { get; set; } = 8 * 1024 * 1024;
}
