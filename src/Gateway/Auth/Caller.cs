using Nscr.Gateway.Auth.Tokens;

namespace Nscr.Gateway.Auth;

public enum CallerKind
{
    Anonymous,
    Basic,
    Bearer,
    Cookie,
}

/// <summary>Who made a request and how they proved it; set as a request feature by the auth middleware.</summary>
public sealed class Caller
{
    public static readonly Caller Anonymous = new(CallerKind.Anonymous, null, null, null);

    public Caller(CallerKind kind, string? user, VerifiedToken? token, string? csrfToken)
    {
        Kind = kind;
        User = user;
        Token = token;
        CsrfToken = csrfToken;
    }

    public CallerKind Kind { get; }

    /// <summary>The user name; null for anonymous callers and anonymous tokens.</summary>
    public string? User { get; }

    public VerifiedToken? Token { get; }

    /// <summary>The CSRF token of a cookie session.</summary>
    public string? CsrfToken { get; }
}

/// <summary>Which repositories the caller of this request may see (the catalog lists only those); absent when auth is off.</summary>
public interface IRepositoryVisibility
{
    bool MayPull(string repository);
}
