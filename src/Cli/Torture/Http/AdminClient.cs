using System.Net;
using Nscr.Cli.Torture.Gc;

namespace Nscr.Cli.Torture.Http;

/// <summary>The registry's admin API (<c>/api/…</c>) as far as the torture needs it.</summary>
public sealed class AdminClient(RegistryHttp http)
{
    /// <summary>Starts a GC cycle and waits for its report. While a cycle runs, the registry answers that one instead.</summary>
    public async Task<GcReport> RunGcAsync(bool dryRun, CancellationToken cancellationToken)
    {
        const string operation = "POST /api/gc?wait=true";
        using var request = new HttpRequestMessage(HttpMethod.Post, dryRun ? "api/gc?wait=true&dryRun=true" : "api/gc?wait=true");
        using var response = await http.SendAsync(operation, request, cancellationToken);
        ThrowIfMissing(operation, response);
        await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.OK, cancellationToken);
        return GcReport.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Starts a cycle without waiting: 202 with the running cycle's report.</summary>
    public async Task StartGcAsync(CancellationToken cancellationToken)
    {
        const string operation = "POST /api/gc";
        using var response = await http.SendAsync(operation, new HttpRequestMessage(HttpMethod.Post, "api/gc"), cancellationToken);
        ThrowIfMissing(operation, response);
        await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.Accepted, cancellationToken);
    }

    /// <summary>The running cycle and the recent history, as JSON.</summary>
    public async Task<string> GetGcAsync(CancellationToken cancellationToken)
    {
        const string operation = "GET /api/gc";
        using var response = await http.SendAsync(operation, new HttpRequestMessage(HttpMethod.Get, "api/gc"), cancellationToken);
        ThrowIfMissing(operation, response);
        await RegistryHttp.ExpectAsync(operation, response, HttpStatusCode.OK, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary><c>DELETE /api/repositories/&lt;name&gt;</c>: true when accepted (202), false when unknown (404).</summary>
    public async Task<bool> DeleteRepositoryAsync(string repository, CancellationToken cancellationToken)
    {
        const string operation = "DELETE /api/repositories";
        using var response = await http.SendAsync(operation, new HttpRequestMessage(HttpMethod.Delete, $"api/repositories/{repository}"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted) return true;
        if (response.StatusCode == HttpStatusCode.NotFound && response.Content.Headers.ContentType?.MediaType == "application/json") return false;
        ThrowIfMissing(operation, response);
        throw await RegistryResponseException.FromAsync(operation, response, cancellationToken);
    }

    private static void ThrowIfMissing(string operation, HttpResponseMessage response)
    {
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            throw new AdminApiMissingException(
                $"{operation} answered {(int)response.StatusCode}: this registry has no admin API for it (nscr's GC API is issue 3)");
        }
    }
}

/// <summary>The registry does not offer the admin endpoint at all (404/405 on the route itself).</summary>
public sealed class AdminApiMissingException(string message) : Exception(message);
