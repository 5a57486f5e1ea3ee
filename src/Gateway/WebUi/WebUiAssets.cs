using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.FileProviders;

namespace Nscr.Gateway.WebUi;

/// <summary>One file of the web UI, held in memory with its gzip form (when smaller) and a strong ETag.</summary>
public sealed record WebUiAsset(string Path, string ContentType, byte[] Content, byte[]? Gzip, string ETag)
{
    /// <summary>A strong ETag names one representation: the gzip form has its own.</summary>
    public string GzipETag => ETag[..^1] + "-gz\"";
}

/// <summary>
/// The web UI's files, read once from the manifest of embedded resources (Gateway.csproj embeds WebUi/ and uPlot's browser
/// build) into memory: together ~100 KB. <see cref="Build"/> is a hash of every asset, the path segment that makes asset
/// URLs immutable (<c>/ui/&lt;build&gt;/js/app.js</c>); index.html names its assets through the <c>{{build}}</c> placeholder.
/// </summary>
public sealed class WebUiAssets
{
    public const string IndexPath = "index.html";
    private const string BuildPlaceholder = "{{build}}";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, WebUiAsset> _assets;

    public WebUiAssets()
        : this(new ManifestEmbeddedFileProvider(typeof(WebUiAssets).Assembly, "WebUi"))
    {
    }

    public WebUiAssets(IFileProvider files)
    {
        var raw = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        Collect(files, "/", raw);
        if (!raw.ContainsKey(IndexPath)) throw new InvalidOperationException("the web UI's index.html is not embedded in the assembly");
        Build = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', raw.Select(p => p.Key + ":" + Convert.ToHexString(SHA256.HashData(p.Value)))))))[..12];
        raw[IndexPath] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(raw[IndexPath]).Replace(BuildPlaceholder, Build, StringComparison.Ordinal));
        _assets = raw.ToDictionary(p => p.Key, p => Create(p.Key, p.Value), StringComparer.Ordinal);
    }

    /// <summary>Changes whenever any asset changes: old pages keep their cached files, new pages get new URLs.</summary>
    public string Build { get; }

    public int Count => _assets.Count;

    public WebUiAsset Index => _assets[IndexPath];

    public WebUiAsset? Find(string path) => _assets.GetValueOrDefault(path);

    private static void Collect(IFileProvider files, string directory, IDictionary<string, byte[]> into)
    {
        foreach (var entry in files.GetDirectoryContents(directory))
        {
            // The provider resolves "/" and "/js"; the keys are relative: "index.html", "js/app.js".
            var path = directory == "/" ? entry.Name : directory.TrimStart('/') + "/" + entry.Name;
            if (entry.IsDirectory)
            {
                Collect(files, "/" + path, into);
                continue;
            }
            if (!ContentTypes.ContainsKey(System.IO.Path.GetExtension(path))) continue;
            using var stream = entry.CreateReadStream();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            into[path] = copy.ToArray();
        }
    }

    private static WebUiAsset Create(string path, byte[] content)
    {
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..20] + "\"";
        return new WebUiAsset(path, ContentTypes[System.IO.Path.GetExtension(path)], content, Compress(content), etag);
    }

    /// <summary>The gzip form, or null when it saves too little to be worth a Vary on every response.</summary>
    private static byte[]? Compress(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(content);
        return output.Length < content.Length * 9 / 10 ? output.ToArray() : null;
    }
}
