using System.Net;
using System.Net.Sockets;

namespace Heddle.Proxy.Health;

/// <summary>Ready when a TCP connection to pod-ip:port opens.</summary>
internal sealed class TcpReadinessProbe(IPAddress podIp, int port) : IReadinessProbe
{
    private readonly IPEndPoint _endpoint = new(podIp, port);

    public async ValueTask<bool> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var socket = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(_endpoint, timeoutSource.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
