using Microsoft.Playwright;
using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Nscr.EndToEnd.Tests.WebUi;

/// <summary>One browser page on the web UI. Records what the page must never do: throw an uncaught script error, be
/// refused something by the Content-Security-Policy, or run a script smuggled in through data (window.__xss).</summary>
public sealed class UiSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly TestScope _scope;
    private readonly List<string> _problems = [];

    internal UiSession(IBrowserContext context, IPage page, TestScope scope)
    {
        _context = context;
        _scope = scope;
        Page = page;
        page.PageError += (_, error) => Record($"uncaught script error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) Record($"CSP: {message.Text}");
        };
    }

    public IPage Page { get; }

    /// <summary>Opens a view (a hash route such as "#/repositories") and waits for its section.</summary>
    public async Task GoToAsync(string route, string viewTestId)
    {
        _scope.Step($"browser: {route}");
        await Page.GotoAsync("/" + route);
        await Assertions.Expect(ByTestId(viewTestId)).ToBeVisibleAsync();
    }

    public ILocator ByTestId(string testId) => Page.Locator($"[data-testid=\"{testId}\"]");

    /// <summary>A full-page PNG in artifacts/screenshots/ (CI keeps them; the README shows one).</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png");
        // A full-page capture of a scrolled page draws the sticky header mid-page.
        await Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        _scope.Step($"screenshot {path}");
        return path;
    }

    /// <summary>Fails on every problem recorded since the page opened, and on any script that ran from data.</summary>
    public async Task AssertCleanAsync()
    {
        var injected = await Page.EvaluateAsync<bool>("() => window.__xss === true");
        Assert.False(injected, "a value from the server ran as script");
        Assert.True(_problems.Count == 0, string.Join('\n', _problems));
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private void Record(string problem)
    {
        lock (_problems) _problems.Add(problem);
        _scope.Step(problem);
    }
}
