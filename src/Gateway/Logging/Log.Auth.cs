namespace Nscr.Gateway.Logging;

/// <summary>Authentication and authorization messages (event ids 2000-2099). None carries a password, hash or token.</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning,
        Message = "AUTHENTICATION IS OFF and nscr listens on {Address}: anyone who can reach this port can push, pull and delete. Set Nscr:Auth:Htpasswd (NSCR_HTPASSWD) or listen on 127.0.0.1.")]
    public static partial void AuthOffBeyondLoopback(ILogger logger, string address);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Authentication on: {Users} users from {Path}, token key {KeyFile}")]
    public static partial void AuthOn(ILogger logger, string path, int users, string keyFile);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "htpasswd file {Path} loaded: {Users} users")]
    public static partial void HtpasswdLoaded(ILogger logger, string path, int users);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "htpasswd file {Path} line {Line} (user {User}) ignored: {Reason}")]
    public static partial void HtpasswdLineSkipped(ILogger logger, string path, int line, string user, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "htpasswd file {Path} cannot be read ({Reason}); keeping the users loaded before")]
    public static partial void HtpasswdUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Rejected credentials on {Method} {Path}")]
    public static partial void CredentialsRejected(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Denied {User} {Method} on repository {Repository}")]
    public static partial void AccessDenied(ILogger logger, string user, string method, string repository);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Token issued to {User} with {Grants} grants")]
    public static partial void TokenIssued(ILogger logger, string user, int grants);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Web login of {User}")]
    public static partial void LoggedIn(ILogger logger, string user);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Failed web login")]
    public static partial void LoginFailed(ILogger logger);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning,
        Message = "Nscr:Auth:Rules is empty: every signed-in user may pull, push and delete in every repository. Add access rules to restrict them.")]
    public static partial void EveryUserMayDoEverything(ILogger logger);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning,
        Message = "Nscr:Auth:Admins and Nscr:Auth:Rules are empty: every signed-in user is an admin (/api/, /dashboard, /metrics, the web UI's management). List the admins in Nscr:Auth:Admins to restrict it.")]
    public static partial void EveryUserIsAdmin(ILogger logger);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning,
        Message = "Nscr:Auth:Admins is empty: nobody is an admin, so /api/, /dashboard and /metrics (unless Nscr:Auth:AnonymousMetrics) refuse every caller. List the admins in Nscr:Auth:Admins.")]
    public static partial void NobodyIsAdmin(ILogger logger);
}
