using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// An accepted connection as Kestrel sees it: a receive loop that moves the socket's bytes into the input pipe and a
/// send loop that writes the output pipe to the socket, both on the event loop's thread with inline pipe schedulers
/// (the same contract as Kestrel's socket transport: an end of stream completes the input, the output's completion
/// shuts the socket down, <see cref="Abort"/> cuts both).
/// </summary>
internal sealed class LoopConnection : ConnectionContext,
    IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature, IMemoryPoolFeature
{
    private const int MinimumReadSize = 2048;
    private static long s_lastId;

    private readonly LoopSocket _socket;
    private readonly PipeWriter _input;
    private readonly PipeReader _output;
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _shutdownLock = new();
    private bool _socketClosed;
    private volatile ConnectionAbortedException? _abortReason;
    private Task _processing = Task.CompletedTask;

    public LoopConnection(LoopSocket socket, MemoryPool<byte> memoryPool)
    {
        _socket = socket;
        MemoryPool = memoryPool;
        ConnectionId = "L" + Interlocked.Increment(ref s_lastId).ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        LocalEndPoint = socket.Socket.LocalEndPoint;
        RemoteEndPoint = socket.Socket.RemoteEndPoint;
        ConnectionClosed = _closed.Token;

        var inputPipe = new Pipe(new PipeOptions(memoryPool, PipeScheduler.Inline, PipeScheduler.Inline, 1024 * 1024, 512 * 1024, MinimumReadSize, useSynchronizationContext: false));
        var outputPipe = new Pipe(new PipeOptions(memoryPool, PipeScheduler.Inline, PipeScheduler.Inline, 1024 * 1024, 512 * 1024, 4096, useSynchronizationContext: false));
        _input = inputPipe.Writer;
        _output = outputPipe.Reader;
        Transport = new DuplexPipe(inputPipe.Reader, outputPipe.Writer);

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

    public void Start() => _processing = RunAsync();

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _abortReason = abortReason;
        _output.CancelPendingRead();
        CloseSocket();
    }

    public override async ValueTask DisposeAsync()
    {
        Transport.Input.Complete();
        Transport.Output.Complete();
        // The token source is not disposed: ConnectionClosed fires from the thread pool, possibly after this returns.
        await _processing.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var receiving = ReceiveAsync();
        var sending = SendAsync();
        await receiving.ConfigureAwait(false);
        await sending.ConfigureAwait(false);
        CloseSocket();
    }

    private async Task ReceiveAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                // No buffer is held while the connection is idle.
                await _socket.WaitReadableAsync(CancellationToken.None).ConfigureAwait(false);
                var memory = _input.GetMemory(MinimumReadSize);
                var read = _socket.TryReceive(memory.Span);
                if (read < 0)
                {
                    continue;
                }

                if (read == 0)
                {
                    break;
                }

                _input.Advance(read);
                var flush = await _input.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            error = new ConnectionResetException(e.Message, e);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            error = _abortReason ?? new ConnectionAbortedException(e.Message, e);
        }
        catch (Exception e)
        {
            error = new IOException(e.Message, e);
        }

        if (error is not null && _abortReason is null)
        {
            // The socket broke: nothing more can be sent either.
            CloseSocket();
        }

        await _input.CompleteAsync(_abortReason ?? error).ConfigureAwait(false);
        // As Kestrel's transport does, the end of the client's side (even a half-close) is the end of the connection
        // for the HTTP layers: a request in progress sees RequestAborted. Off the loop's thread: whoever waits on it may
        // do real work.
        ThreadPool.UnsafeQueueUserWorkItem(static source => source.Cancel(), _closed, preferLocal: false);
    }

    private async Task SendAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _output.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    break;
                }

                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _socket.SendAsync(segment, CancellationToken.None).ConfigureAwait(false);
                }

                _output.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            error = new ConnectionResetException(e.Message, e);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            error = _abortReason ?? new ConnectionAbortedException(e.Message, e);
        }
        catch (Exception e)
        {
            error = new IOException(e.Message, e);
        }

        CloseSocket();
        await _output.CompleteAsync(error).ConfigureAwait(false);
        // A reader blocked on a full input pipe gives up: the connection is over.
        _input.CancelPendingFlush();
    }

    /// <summary>Shuts the socket down both ways and closes it (once): the peer sees the end, both loops stop.</summary>
    private void CloseSocket()
    {
        lock (_shutdownLock)
        {
            if (_socketClosed)
            {
                return;
            }

            _socketClosed = true;
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

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
