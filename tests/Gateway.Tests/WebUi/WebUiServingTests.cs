using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Nscr.Gateway.Tests.Infrastructure;
using Nscr.Gateway.WebUi;

namespace Nscr.Gateway.Tests.WebUi;

/// <summary>
/// The web UI's files as the Gateway serves them from its assembly: index.html at /, assets under /ui/&lt;build&gt;/ with
/// the caching, CSP and nosniff headers; every module the page imports resolves; no inline script or style.
/// </summary>
public sealed partial class WebUiServingTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly HttpClient http = new() { BaseAddress = registry.BaseAddress };

    [Fact]
    public async Task RootServesThePageWithStrictHeaders()
    {
        using var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(response);
        Assert.True(response.Headers.CacheControl?.NoCache, "index.html is revalidated on every load");
        Assert.NotNull(response.Headers.ETag);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"view\"", html);
        Assert.DoesNotContain("{{build}}", html);
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain(" style=", html);
    }

    [Fact]
    public async Task EveryAssetThePageNamesIsServedImmutable()
    {
        var html = await http.GetStringAsync("/");
        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(assets, a => a.EndsWith("/js/app.js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith("/vendor/uPlot.iife.min.js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith("/vendor/uPlot.min.css", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
            AssertSecurityHeaders(response);
            Assert.True(response.Headers.CacheControl?.MaxAge >= TimeSpan.FromDays(365), $"{asset}: {response.Headers.CacheControl}");
            var expected = Path.GetExtension(asset) switch
            {
                ".js" => "text/javascript",
                ".css" => "text/css",
                ".svg" => "image/svg+xml",
                _ => "?",
            };
            Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task EveryModuleImportResolves()
    {
        var html = await http.GetStringAsync("/");
        var entry = AssetReference().Matches(html).Select(m => m.Groups[1].Value).Single(a => a.EndsWith("/js/app.js", StringComparison.Ordinal));
        var pending = new Queue<string>([entry]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var module))
        {
            if (!seen.Add(module)) continue;
            using var response = await http.GetAsync(module);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{module}: {(int)response.StatusCode}");
            var source = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(".innerHTML", source);
            foreach (Match import in ModuleImport().Matches(source))
            {
                pending.Enqueue(new Uri(new Uri(http.BaseAddress!, module), import.Groups[1].Value).AbsolutePath);
            }
        }
        Assert.True(seen.Count >= 10, $"only {seen.Count} modules reached from app.js");
    }

    [Fact]
    public async Task AMatchingETagAnswersNotModified()
    {
        using var first = await http.GetAsync("/");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GzipIsServedToClientsThatAskAndDecodesToTheSameBytes()
    {
        var assets = registry.Services.GetService(typeof(WebUiAssets)) as WebUiAssets;
        var path = $"/ui/{assets!.Build}/vendor/uPlot.iife.min.js";
        var plain = await http.GetByteArrayAsync(path);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await http.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < plain.Length / 2, $"{compressed.Length} of {plain.Length} bytes");
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var decoded = new MemoryStream();
        await gzip.CopyToAsync(decoded);
        Assert.Equal(plain, decoded.ToArray());
    }

    [Fact]
    public async Task AnOlderBuildGetsTodaysFileUncachedAndUnknownFilesAre404()
    {
        using var old = await http.GetAsync("/ui/000000000000/js/app.js");
        using var missing = await http.GetAsync("/ui/000000000000/js/nothing.js");
        using var index = await http.GetAsync("/ui/000000000000/index.html");

        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.True(old.Headers.CacheControl?.NoCache);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        AssertSecurityHeaders(missing);
        Assert.Equal(HttpStatusCode.NotFound, index.StatusCode);
    }

    [Fact]
    public async Task HeadAnswersTheHeadersWithoutABody()
    {
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 100);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [GeneratedRegex("""(?:src|href)="(/ui/[^"]+)""")]
    private static partial Regex AssetReference();

    [GeneratedRegex("""^\s*import\s[^;]*?from\s+'([^']+)'""", RegexOptions.Multiline)]
    private static partial Regex ModuleImport();

    [GeneratedRegex("""<script(?![^>]*\ssrc=)[^>]*>""")]
    private static partial Regex InlineScript();
}
