using System.Net.Sockets;
using System.Text;

namespace Nscr.Gateway.Tests.Security;

/// <summary>An HTTP/1.1 answer read off a raw socket.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient refuses to send: raw request targets (HttpClient resolves
/// <c>..</c>), lying Content-Length, bodies cut off mid-way, requests that stall.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> (request line and headers, CRLF-separated, without the blank line),
    /// then <paramref name="body"/>, and reads the answer until the server closes (Connection: close is added).</summary>
    /// <param name="halfClose">Shuts the sending side after the body: a body shorter than its Content-Length ends there.</param>
    public static async Task<RawResponse> SendAsync(Uri server, string head, byte[]? body = null, CancellationToken cancellationToken = default, bool halfClose = false)
    {
        using var socket = await ConnectAsync(server, cancellationToken);
        var request = Encoding.Latin1.GetBytes(head + "\r\nConnection: close\r\n\r\n");
        await socket.SendAsync(request, cancellationToken);
        if (body is { Length: > 0 })
        {
            try
            {
                await socket.SendAsync(body, cancellationToken);
            }
            catch (SocketException)
            {
                // The server answered early (e.g. 413) and closed: read what it said.
            }
        }
        if (halfClose)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
        }
        return Parse(await ReadToEndAsync(socket, cancellationToken));
    }

    public static async Task<Socket> ConnectAsync(Uri server, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.Host, server.Port, cancellationToken);
        return socket;
    }

    public static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var all = new MemoryStream();
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, cancellationToken);
            }
            catch (SocketException)
            {
                break;
            }
            if (read == 0) break;
            all.Write(buffer, 0, read);
        }
        return all.ToArray();
    }

    /// <summary>Parses a status line, headers and a Content-Length or chunked body (0 status when nothing came back).</summary>
    public static RawResponse Parse(byte[] raw)
    {
        var text = Encoding.Latin1.GetString(raw);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return new RawResponse(0, new Dictionary<string, string>(), text);
        var lines = text[..end].Split("\r\n");
        var parts = lines[0].Split(' ', 3);
        var status = parts.Length >= 2 && int.TryParse(parts[1], out var s) ? s : 0;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = text[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }
        else if (headers.TryGetValue("Content-Length", out var length) && int.TryParse(length, out var n) && n <= body.Length)
        {
            body = body[..n];
        }
        return new RawResponse(status, headers, Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)));
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0) break;
            var size = Convert.ToInt32(body[position..lineEnd].Split(';')[0], 16);
            if (size == 0) break;
            result.Append(body, lineEnd + 2, Math.Min(size, body.Length - lineEnd - 2));
            position = lineEnd + 2 + size + 2;
        }
        return result.ToString();
    }
}
