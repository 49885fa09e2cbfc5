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
internal sealed class LoopConnection : ConnectionContext,
    IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature, IMemoryPoolFeature
{
    private static long s_lastId;

    private readonly LoopSocket _socket;
    private readonly LoopPipeReader _input;
    private readonly LoopPipeWriter _output;
    private readonly CancellationTokenSource _closed = new();
    private int _closedFired;
    private int _socketClosed;

    public LoopConnection(LoopSocket socket, MemoryPool<byte> memoryPool)
    {
        _socket = socket;
        MemoryPool = memoryPool;
        ConnectionId = "L" + Interlocked.Increment(ref s_lastId).ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        LocalEndPoint = socket.Socket.LocalEndPoint;
        RemoteEndPoint = socket.Socket.RemoteEndPoint;
        ConnectionClosed = _closed.Token;
        _input = new LoopPipeReader(socket, _ => FireConnectionClosed());
        _output = new LoopPipeWriter(socket, _ => { FireConnectionClosed(); CloseSocket(); }, CloseSocket);
        Transport = new DuplexPipe(_input, _output);
        socket.PeerEnded = OnPeerEnded;

        var features = new FeatureCollection();
        features.Set<IConnectionIdFeature>(this);
        features.Set<IConnectionTransportFeature>(this);
        features.Set<IConnectionItemsFeature>(this);
        features.Set<IConnectionLifetimeFeature>(this);
        features.Set<IConnectionEndPointFeature>(this);
        features.Set<IMemoryPoolFeature>(this);
        Features = features;
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

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

    /// <summary>As Kestrel's transport does, the end of the client's side (even a half-close) is the end of the
    /// connection for the HTTP layers: a request in progress sees RequestAborted. Off the loop's thread: whoever waits
    /// on it may do real work.</summary>
    private void FireConnectionClosed()
    {
        if (Interlocked.Exchange(ref _closedFired, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static source => source.Cancel(), _closed, preferLocal: false);
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
