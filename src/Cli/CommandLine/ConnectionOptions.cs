using System.CommandLine;
using Nscr.Cli.Admin;
using Nscr.Cli.Config;

namespace Nscr.Cli.CommandLine;

/// <summary>A registry URL and optional Basic credentials, resolved from flags, the environment and the stored login.</summary>
public sealed record Connection(Uri Url, string? Username, string? Password);

/// <summary>
/// The options every command shares: <c>--url</c>, <c>--username</c>/<c>-u</c>, <c>--password</c>/<c>-p</c>, <c>--json</c>, recursive
/// options of the root command (accepted before or after the subcommand).
/// The URL comes from <c>--url</c>, else <c>NSCR_URL</c>, else the stored login, else <see cref="DefaultUrl"/>; credentials
/// from the flags, else <c>NSCR_USERNAME</c>/<c>NSCR_PASSWORD</c>, else the stored login when it is for that same URL
/// (stored credentials are never sent to another server).
/// </summary>
public sealed class ConnectionOptions
{
    public const string DefaultUrl = "http://127.0.0.1:7000";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"Registry URL (default: $NSCR_URL, else the URL of `nscr login`, else {DefaultUrl})",
        Recursive = true,
        Validators = { ValidateUrl },
    };

    public Option<string?> Username { get; } = new("--username", "-u")
    {
        Recursive = true,
        Description = "User name for Basic authentication (default: $NSCR_USERNAME, else the stored login)",
    };

    public Option<string?> Password { get; } = new("--password", "-p")
    {
        Recursive = true,
        Description = "Password for Basic authentication (default: $NSCR_PASSWORD, else the stored login); prefer the variable, flags show in `ps`",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Recursive = true,
        Description = "Print JSON instead of tables: the API's documents (shapes in the README), torture's summary",
    };

    /// <summary>Adds the options to <paramref name="root"/>; being recursive, every subcommand accepts them too.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(Username);
        root.Options.Add(Password);
        root.Options.Add(Json);
    }

    public Connection Resolve(ParseResult parse, CliHost host)
    {
        var stored = new LoginStore(host.ConfigDirectory).Load();
        var urlText = NonEmpty(parse.GetValue(Url)) ?? NonEmpty(host.Environment("NSCR_URL")) ?? stored?.Url ?? DefaultUrl;
        var url = ParseUrl(urlText);
        var username = NonEmpty(parse.GetValue(Username)) ?? NonEmpty(host.Environment("NSCR_USERNAME"));
        var password = NonEmpty(parse.GetValue(Password)) ?? NonEmpty(host.Environment("NSCR_PASSWORD"));
        if (username is null && password is null && stored is not null && SameServer(ParseUrl(stored.Url), url))
        {
            (username, password) = (stored.Username, stored.Password);
        }
        if (username is not null && password is null)
        {
            throw new CliException(ExitCodes.Usage, "a user name needs a password: give --password or set NSCR_PASSWORD");
        }
        return new Connection(url, username, password);
    }

    private static void ValidateUrl(System.CommandLine.Parsing.OptionResult result)
    {
        var text = result.GetValueOrDefault<string?>();
        if (string.IsNullOrEmpty(text)) return;
        if (HasCredentials(text)) result.AddError(CredentialsInUrl);
        else if (!IsHttpUrl(text)) result.AddError($"'{text}' is not an http(s) URL");
    }

    /// <summary>
    /// A URL with user:password would be echoed by every error message that names the server, and stored by
    /// <c>nscr login</c>; HttpClient does not send it anyway.
    /// </summary>
    private const string CredentialsInUrl = "the URL carries credentials: give them with --username/--password or `nscr login`, not in the URL";

    private static bool HasCredentials(string text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0;

    private static bool IsHttpUrl(string text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>An absolute http(s) URL ending in a slash (so relative API paths keep any path prefix).</summary>
    public static Uri ParseUrl(string text)
    {
        if (HasCredentials(text)) throw new CliException(ExitCodes.Usage, CredentialsInUrl);
        if (!IsHttpUrl(text)) throw new CliException(ExitCodes.Usage, $"'{text}' is not an http(s) URL");
        var uri = new Uri(text, UriKind.Absolute);
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    public static bool SameServer(Uri a, Uri b) => Uri.Compare(a, b, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    public AdminApi Connect(ParseResult parse, CliHost host) => new(Resolve(parse, host));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
