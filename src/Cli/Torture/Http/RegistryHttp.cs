using System.Net;
using Nscr.Cli.Torture.Report;

namespace Nscr.Cli.Torture.Http;

/// <summary>The one place requests go out: counts them, and turns a 5xx or no answer at all into an exception
/// (both are failures wherever they happen).</summary>
public sealed class RegistryHttp(HttpClient client, TortureStats stats)
{
    public Uri BaseAddress => client.BaseAddress!;

    public TortureStats Stats => stats;

    public async Task<HttpResponseMessage> SendAsync(
        string operation,
        HttpRequestMessage request,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        stats.CountRequest();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, completion, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new RegistryTransportException($"{operation} {request.Method} {request.RequestUri}", e);
        }
        if ((int)response.StatusCode >= 500)
        {
            using (response)
            {
                throw await RegistryResponseException.FromAsync($"{operation} {request.Method} {request.RequestUri}", response, cancellationToken);
            }
        }
        return response;
    }

    public static async Task ExpectAsync(string operation, HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected) throw await RegistryResponseException.FromAsync(operation, response, cancellationToken);
    }
}
