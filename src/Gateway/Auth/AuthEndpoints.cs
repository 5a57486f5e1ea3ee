using System.Net;
using Nscr.Gateway.Auth.Credentials;
using Nscr.Gateway.Auth.Sessions;
using Nscr.Gateway.Auth.Tokens;
using Nscr.Gateway.Hosting;
using Nscr.Gateway.Logging;
using Nscr.Gateway.Oci;

namespace Nscr.Gateway.Auth;

/// <summary>Wiring: <c>builder.AddNscrAuth(options)</c> and <c>app.UseNscrAuth()</c>. With auth off nothing is added to
/// the request pipeline but <c>GET /auth/session</c>, which tells the web UI that no login is needed.</summary>
public static class AuthEndpoints
{
    public static void AddNscrAuth(this WebApplicationBuilder builder, RegistryOptions registry)
    {
        var options = AuthOptions.Read(builder.Configuration, registry.DataDir);
        var services = builder.Services;
        services.AddSingleton(options);
        if (!options.Enabled) return;
        services.AddSingleton(provider => new HtpasswdStore(
            options.Htpasswd!, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<HtpasswdStore>>()));
        services.AddSingleton(provider => new PasswordVerifier(
            provider.GetRequiredService<HtpasswdStore>(), provider.GetRequiredService<TimeProvider>(), options.VerifiedCacheTimeValue));
        services.AddSingleton(_ => SigningKey.LoadOrCreate(options.TokenKeyFile!));
        services.AddSingleton(new AccessPolicy(options));
        services.AddSingleton<RegistryTokens>();
        services.AddSingleton<WebSessions>();
        services.AddSingleton<Authenticator>();
        services.AddSingleton<AuthChallenges>();
        services.AddSingleton<AuthMiddleware>();
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<LoginEndpoints>();
    }

    public static void UseNscrAuth(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<AuthOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthEndpoints).FullName!);
        if (!options.Enabled)
        {
            var registry = app.Services.GetRequiredService<RegistryOptions>();
            if (!IPAddress.TryParse(registry.ListenAddress, out var address) || !IPAddress.IsLoopback(address))
            {
                Log.AuthOffBeyondLoopback(logger, registry.ListenAddress);
            }
            app.MapGet("/auth/session", context => OciResponses.WriteJsonAsync(context, "application/json", json =>
            {
                json.WriteStartObject();
                json.WriteNull("user");
                json.WriteBoolean("admin", true);
                json.WriteNull("csrfToken");
                json.WriteBoolean("authEnabled", false);
                json.WriteEndObject();
            }));
            return;
        }
        // Load the user file and the key now: a missing file or a bad key stops the start-up, not the first request.
        var users = app.Services.GetRequiredService<HtpasswdStore>();
        _ = app.Services.GetRequiredService<SigningKey>();
        Log.AuthOn(logger, options.Htpasswd!, users.Current.Hashes.Count, options.TokenKeyFile!);
        LogDefaults(app.Services.GetRequiredService<AccessPolicy>(), logger);
        var middleware = app.Services.GetRequiredService<AuthMiddleware>();
        app.Use(middleware.InvokeAsync);
        var token = app.Services.GetRequiredService<TokenEndpoint>();
        var login = app.Services.GetRequiredService<LoginEndpoints>();
        app.MapGet("/auth/token", token.IssueAsync);
        app.MapPost("/auth/token", TokenEndpoint.UnsupportedAsync);
        app.MapPost("/auth/login", login.LoginAsync);
        app.MapGet("/auth/session", login.SessionAsync);
        app.MapPost("/auth/logout", login.LogoutAsync);
    }

    /// <summary>Who gets what without being named in the configuration, said once at start-up.</summary>
    private static void LogDefaults(AccessPolicy policy, ILogger logger)
    {
        if (policy.EveryUserMayDoEverything) Log.EveryUserMayDoEverything(logger);
        if (policy.EveryUserIsAdmin) Log.EveryUserIsAdmin(logger);
        else if (policy.NobodyIsAdmin) Log.NobodyIsAdmin(logger);
    }
}
