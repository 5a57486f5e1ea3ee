using System.ComponentModel.DataAnnotations;
using System.ComponentModel;
using Microsoft.Extensions.Options;
using Nscr.Gateway.Hosting;
using Nscr.Silo.Configuration;

namespace Nscr.Gateway.Auth;

/// <summary>
/// Authentication and authorization (section "Nscr:Auth"; <c>NSCR_HTPASSWD</c>, <c>NSCR_AUTH_*</c>). Off until an
/// htpasswd file is given: then every /v2/, /api/, /dashboard and /metrics request needs credentials or an
/// anonymous-pull rule.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Nscr:Auth";

    [Description("htpasswd file with bcrypt hashes (htpasswd -B); setting it turns authentication on. Reloaded when it changes. Env NSCR_HTPASSWD.")]
    public string? Htpasswd { get; set; }

    [Description("Token service name: the 'service' of the Bearer challenge and the 'aud' of issued tokens.")]
    [Required]
    public string Service { get; set; } = "nscr";

    [Description("Issuer ('iss') of the tokens this server signs and accepts.")]
    [Required]
    public string Issuer { get; set; } = "nscr";

    [Description("Token realm URL; empty means <scheme>://<Host of the request>/auth/token.")]
    public string? Realm { get; set; }

    [Description("PEM file of the ECDSA P-256 key that signs tokens and session cookies; created (mode 600) on first start when missing. Default <DataDir>/auth/token-key.pem. Every gateway of a cluster must use the same file.")]
    public string? TokenKeyFile { get; set; }

    [Description("Lifetime of issued registry tokens (e.g. 5m).")]
    public string TokenLifetime { get; set; } = "5m";

    [Description("Lifetime of a web login session cookie (e.g. 12h).")]
    public string SessionLifetime { get; set; } = "12h";

    [Description("How long a successful password check is remembered, so Basic on every request does not pay bcrypt each time (0 disables).")]
    public string VerifiedCacheTime { get; set; } = "1m";

    [Description("Groups: name → user names. Rules and Admins refer to a group as 'group:<name>'.")]
    public Dictionary<string, string[]> Groups { get; set; } = new(StringComparer.Ordinal);

    [Description("Access rules: subjects (user, 'group:<name>', '*' = any signed-in user, 'anonymous') × repository glob (* within a segment, ** across) → actions (pull, push, delete). Grants add up. None configured: every signed-in user may pull, push and delete everywhere.")]
    public List<AuthRule> Rules { get; set; } = [];

    [Description("Users and 'group:<name>' with the admin role: /api/, /dashboard, /metrics and every action on every repository. None listed: every signed-in user when no Rules are set either, else nobody.")]
    public string[] Admins { get; set; } = [];

    [Description("Repository globs anyone may pull without credentials.")]
    public string[] AnonymousPull { get; set; } = [];

    [Description("Whether /metrics is readable without credentials (otherwise it needs the admin role).")]
    public bool AnonymousMetrics { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Htpasswd);

    public TimeSpan TokenLifetimeValue => Duration(TokenLifetime);

    public TimeSpan SessionLifetimeValue => Duration(SessionLifetime);

    public TimeSpan VerifiedCacheTimeValue => Duration(VerifiedCacheTime);

    /// <summary>Reads and validates the section, failing start-up with a message naming each bad setting.</summary>
    public static AuthOptions Read(IConfiguration configuration, string dataDir)
    {
        var options = configuration.GetSection(Section).Get<AuthOptions>() ?? new AuthOptions();
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
        var messages = problems.Select(p => p.ErrorMessage ?? "invalid").ToList();
        foreach (var (name, text) in new[] { ("TokenLifetime", options.TokenLifetime), ("SessionLifetime", options.SessionLifetime), ("VerifiedCacheTime", options.VerifiedCacheTime) })
        {
            if (!GcSettings.TryParseDuration(text, out _)) messages.Add($"Auth:{name} '{text}' is not a duration (examples: 90s, 15m, 1h).");
        }
        if (options.Enabled && options.TokenLifetimeValue <= TimeSpan.Zero) messages.Add("Auth:TokenLifetime must be positive.");
        if (options.Enabled && options.SessionLifetimeValue <= TimeSpan.Zero) messages.Add("Auth:SessionLifetime must be positive.");
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            if (string.IsNullOrWhiteSpace(rule.Repository)) messages.Add($"Auth:Rules:{i}:Repository is required.");
            if (rule.Subjects.Length == 0) messages.Add($"Auth:Rules:{i}:Subjects is empty.");
            foreach (var action in rule.Actions)
            {
                if (!RepositoryActionNames.TryParse(action, out _)) messages.Add($"Auth:Rules:{i}:Actions '{action}' is not pull, push, delete or *.");
            }
        }
        if (messages.Count > 0) throw new OptionsValidationException(Section, typeof(AuthOptions), messages);
        options.TokenKeyFile = Path.GetFullPath(string.IsNullOrWhiteSpace(options.TokenKeyFile)
            ? Path.Combine(dataDir, "auth", "token-key.pem")
            : options.TokenKeyFile);
        if (options.Enabled) options.Htpasswd = Path.GetFullPath(options.Htpasswd!);
        return options;
    }

    private static TimeSpan Duration(string text) => GcSettings.TryParseDuration(text, out var value) ? value : TimeSpan.Zero;
}

/// <summary>One access rule: who, which repositories, what they may do there.</summary>
public sealed class AuthRule
{
    [Description("User names, 'group:<name>', '*' (any signed-in user) or 'anonymous'.")]
    public string[] Subjects { get; set; } = [];

    [Description("Repository glob: * within a path segment, ** across segments.")]
    public string Repository { get; set; } = "";

    [Description("pull, push, delete, or * for all three.")]
    public string[] Actions { get; set; } = [];
}
