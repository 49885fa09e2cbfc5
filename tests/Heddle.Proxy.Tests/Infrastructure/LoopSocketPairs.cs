using System.Net;
using System.Net.Sockets;
using Heddle.Proxy.Sockets;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>A loopback listener that connects the event loop's sockets to plain kernel sockets, one pair at a time.</summary>
internal sealed class LoopSocketPairs : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public LoopSocketPairs()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
    }

    public IPEndPoint Address => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>A loop socket connected to the listener, and the plain socket the listener accepted for it.</summary>
    public async Task<(LoopSocket Client, Socket Server)> ConnectAsync()
    {
        var accepting = _listener.AcceptAsync();
        var client = await LoopSocket.ConnectAsync(Address, EventLoop.Shared, CancellationToken.None);
        return (client, await Eventually.Completes(accepting));
    }

    public void Dispose() => _listener.Dispose();
}
