using System.Net;
using System.Net.Sockets;

namespace Nscr.EndToEnd.Tests.Infrastructure;

public static class FreePort
{
    private const int Lowest = 15000;

    /// <summary>A TCP port free right now and below the ephemeral range, so no outgoing connection can take
    /// it while a registry is down between a kill and its restart on the same port.</summary>
    public static int Next()
    {
        var highest = EphemeralRangeStart() - 1;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(Lowest, highest + 1);
            try
            {
                using var listener = new TcpListener(IPAddress.Any, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
        throw new InvalidOperationException($"no free port in {Lowest}-{highest}");
    }

    /// <summary>The first of <paramref name="count"/> consecutive ports that are all free right now (below the
    /// ephemeral range, like <see cref="Next"/>).</summary>
    public static int Range(int count)
    {
        var highest = EphemeralRangeStart() - count;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = Random.Shared.Next(Lowest, highest + 1);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }
        throw new InvalidOperationException($"no {count} consecutive free ports in {Lowest}-{highest}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            var start = int.Parse(range.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0]);
            return start > Lowest + 1000 ? start : 32768;
        }
        catch (Exception exception) when (exception is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return 32768;
        }
    }
}
