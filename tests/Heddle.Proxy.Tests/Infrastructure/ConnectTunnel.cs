using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>Opens a CONNECT tunnel through an HTTP proxy, as grpcio and <c>curl -p</c> do, and returns the raw stream inside it.</summary>
internal static class ConnectTunnel
{
    public static async ValueTask<Stream> OpenAsync(IPEndPoint proxy, DnsEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(proxy, cancellationToken);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var authority = $"{target.Host}:{target.Port}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"), cancellationToken);
            var head = await ReadHeadAsync(stream, cancellationToken);
            if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            {
                throw new HttpRequestException("CONNECT refused: " + head);
            }

            return stream;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads the response head byte by byte so that no byte of the tunnel is consumed.</summary>
    public static async Task<string> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("proxy closed the connection during the CONNECT answer");
            }

            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString(head.ToArray());
    }
}
