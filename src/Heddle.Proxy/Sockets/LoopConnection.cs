using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// An accepted connection as Kestrel sees it, with the contract of Kestrel's socket transport: the input ends at the
/// client's end of stream, the client's end (or a broken socket) fires <see cref="ConnectionClosed"/>, completing the
/// output shuts the socket down, and <see cref="Abort"/> cuts both. Its pipes read and write the socket directly
/// (<see cref="LoopPipeReader"/>, <see cref="LoopPipeWriter"/>); a client that ends while nobody reads is noticed by
/// the event loop, which peeks whether anything is left to read.
/// </summary>
internal sealed class LoopConnection : OwnConnection, IMemoryPoolFeature
{
    private static long s_lastId;

    private readonly LoopSocket _socket;
    private readonly LoopPipeReader _input;
    private readonly LoopPipeWriter _output;
    private int _socketClosed;

    public LoopConnection(LoopSocket socket, MemoryPool<byte> memoryPool)
        : base("L" + Interlocked.Increment(ref s_lastId).ToString("X", System.Globalization.CultureInfo.InvariantCulture), socket.Socket.LocalEndPoint, socket.Socket.RemoteEndPoint)
    {
        _socket = socket;
        MemoryPool = memoryPool;
        _input = new LoopPipeReader(socket, _ => FireConnectionClosed());
        _output = new LoopPipeWriter(socket, _ => { FireConnectionClosed(); CloseSocket(); }, CloseSocket);
        Transport = new DuplexPipe(_input, _output);
        socket.PeerEnded = OnPeerEnded;
        Features.Set<IMemoryPoolFeature>(this);
    }

    public MemoryPool<byte> MemoryPool { get; }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        // Waiting reads and writes wake and fail as the socket closes; reads then throw the reason.
        _input.AbortReason = abortReason;
        CloseSocket();
        FireConnectionClosed();
    }

    public override ValueTask DisposeAsync()
    {
        _input.Complete();
        _output.Complete();
        FireConnectionClosed();
        // The token source is not disposed: ConnectionClosed fires from the thread pool, possibly after this returns.
        return default;
    }

    /// <summary>On the loop's thread: the client ended its side or the socket failed. Only an end with nothing left to
    /// read (or a failure) closes the connection now; otherwise the reader meets the end after the bytes before it.</summary>
    private void OnPeerEnded()
    {
        try
        {
            if (_socket.HasEnded())
            {
                FireConnectionClosed();
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Shuts the socket down both ways and closes it (once): the peer sees the end, waiting reads and writes fail.</summary>
    private void CloseSocket()
    {
        if (Interlocked.Exchange(ref _socketClosed, 1) == 1)
        {
            return;
        }

        try
        {
            _socket.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }
}
