using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// Kestrel's transport for the proxy's TCP listeners when <see cref="EventLoop.Enabled"/>: accepted connections are
/// served by the <see cref="EventLoop"/> (<see cref="LoopConnection"/>). Kestrel's HTTP layers, the connection
/// middleware and TLS run over it unchanged; other endpoint kinds stay with Kestrel's socket transport.
/// </summary>
internal sealed class LoopTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private const int Backlog = 512;

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Socket socket;
        try
        {
            socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // As Kestrel's socket transport reports it.
            throw new AddressInUseException(e.Message, e);
        }

        try
        {
            socket.Listen(Backlog);
            var listener = LoopSocket.Listen(socket, EventLoop.Shared);
            return new ValueTask<IConnectionListener>(new Listener(listener));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class Listener(LoopSocket socket) : IConnectionListener
    {
        private readonly MemoryPool<byte> _memoryPool = MemoryPool<byte>.Shared;

        public EndPoint EndPoint { get; } = socket.Socket.LocalEndPoint!;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                try
                {
                    if (socket.TryAccept() is { } accepted)
                    {
                        return new LoopConnection(accepted, _memoryPool);
                    }

                    await socket.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // Unbound.
                    return null;
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
                {
                    // A connection reset before it was accepted.
                }
                catch (SocketException)
                {
                    // Out of descriptors or memory: back off instead of spinning.
                    await Task.Delay(10, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            socket.Dispose();
            return default;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return default;
        }
    }
}
