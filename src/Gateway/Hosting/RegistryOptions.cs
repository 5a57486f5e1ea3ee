using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Nscr.Gateway.Hosting;

/// <summary>Settings of one registry process (section "Nscr"; env NSCR_PORT, NSCR_DATA_DIR, …; flags --port, --data-dir, …).</summary>
public sealed class RegistryOptions
{
    public const string Section = "Nscr";

    [Description("HTTP port; 0 picks a free one.")]
    [Range(0, 65535)]
    public int Port { get; set; } = 7000;

    [Description("IP address to listen on (0.0.0.0: every interface).")]
    [Required]
    public string ListenAddress { get; set; } = "0.0.0.0";

    [Description("Where the database (nscr.db), blobs (blobs/) and staged uploads (uploads/) live.")]
    [Required]
    public string DataDir { get; set; } = "./data";

    [Description("Largest blob accepted, in bytes; 0 means no limit.")]
    [Range(0, long.MaxValue)]
    public long MaxBlobBytes { get; set; }

    [Description("Memory budget for cached manifest bodies, in bytes.")]
    [Range(0, 1L << 30)]
    public long ManifestCacheBytes { get; set; } = 8 * 1024 * 1024;
}
