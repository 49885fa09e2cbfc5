using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Heddle.EndToEnd.Tests.Support;

/// <summary>
/// Opens an HTTP CONNECT tunnel through a sidecar's outbound listener, the way grpcio and `curl -p` reach a
/// service through HTTP_PROXY, and hands out HTTP/2 (h2c) clients that speak inside such tunnels.
/// </summary>
internal static class ConnectTunnel
{
    public static async Task<Stream> OpenAsync(string proxyIp, string authority, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(proxyIp), 15001), cancellationToken);
            var stream = new NetworkStream(socket, ownsSocket: true);
            byte[] request = Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n");
            await stream.WriteAsync(request, cancellationToken);

            // Read the response head byte by byte so nothing of the tunnelled stream is consumed.
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, cancellationToken) == 0)
                {
                    throw new IOException("the proxy closed the connection during CONNECT; got: " + head);
                }

                head.Append((char)one[0]);
            }

            string status = head.ToString().Split("\r\n")[0];
            if (!status.Contains(" 200", StringComparison.Ordinal))
            {
                throw new HttpRequestException("CONNECT refused: " + status);
            }

            return stream;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A handler whose every connection is a fresh CONNECT tunnel through <paramref name="proxyIp"/>'s sidecar.</summary>
    public static SocketsHttpHandler Handler(string proxyIp) => new()
    {
        ConnectCallback = (context, ct) => new ValueTask<Stream>(OpenAsync(proxyIp, $"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}", ct)),
        UseProxy = false,
        AllowAutoRedirect = false,
    };
}
