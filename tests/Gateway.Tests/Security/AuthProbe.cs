using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Nscr.Gateway.Tests.Security;

/// <summary>
/// A stand-in for an authenticating endpoint under <c>/auth/</c> (the failed-authentication limit watches that
/// prefix): <c>GET /auth/probe</c> answers 200 to Basic <c>user:right</c> and 401 to anything else.
/// </summary>
public static class AuthProbe
{
    public const string Path = "/auth/probe";
    public const string Password = "right";

    public static void Map(WebApplication app) =>
        app.MapGet(Path, (HttpContext context) =>
            context.Request.Headers.Authorization.ToString() == Basic(Password).ToString()
                ? Results.Ok()
                : Results.StatusCode(StatusCodes.Status401Unauthorized));

    public static AuthenticationHeaderValue Basic(string password) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"user:{password}")));

    /// <summary>Sends the probe with <paramref name="password"/>; the caller disposes the answer.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient http, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Authorization = Basic(password);
        return http.SendAsync(request);
    }

    public static async Task<HttpStatusCode> StatusAsync(HttpClient http, string password)
    {
        using var response = await SendAsync(http, password);
        return response.StatusCode;
    }
}
