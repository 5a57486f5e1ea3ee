using System.Net;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>
/// Fails the test on any 5xx answer: whatever a client sends, the registry must never answer 500. 507 is let through:
/// it is the registry's deliberate answer on a full disk, which only a test that fills one sees.
/// </summary>
public sealed class NoServerErrorsHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 500 && response.StatusCode != HttpStatusCode.InsufficientStorage)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }
        return response;
    }

    public static HttpClient CreateClient(Uri baseAddress)
    {
        var sockets = new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
        return new HttpClient(new NoServerErrorsHandler(sockets)) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }
}
