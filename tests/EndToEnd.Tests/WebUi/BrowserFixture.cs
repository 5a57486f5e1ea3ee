using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Nscr.EndToEnd.Tests.WebUi;

/// <summary>The web UI tests share one headless Chromium (Debian's package, not a downloaded build) and run one at a
/// time: each starts its own registry, and a browser plus a registry per test in parallel would starve two cores.</summary>
[CollectionDefinition(Name)]
public sealed class WebUiCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Web UI";
}

public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not running");

    /// <summary>artifacts/screenshots/ under the repository root: CI keeps artifacts/, git does not.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(ServerLaunch.FindRepositoryRoot(), "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install the Debian package chromium (test.sh does)");
        }
        // Playwright's own expectations poll the page; the default 5 s is short on a busy two-core machine.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh browser context (no cookies, no cache) on <paramref name="registry"/>'s web UI.</summary>
    public async Task<UiSession> OpenAsync(RegistryProcess registry, TestScope scope, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = registry.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            ColorScheme = colorScheme,
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var session = new UiSession(context, page, scope);
        return session;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}
