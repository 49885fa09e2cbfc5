using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// A non-blocking TCP socket served by an <see cref="EventLoop"/>: receive, send, accept and connect as system calls on
/// the calling thread, waiting on the loop only when the kernel has nothing. The .NET <see cref="System.Net.Sockets.Socket"/>
/// it wraps owns the descriptor (options, addresses, shutdown, close) and is never used for I/O itself.
/// </summary>
internal sealed class LoopSocket : IDisposable
{
    private readonly SafeSocketHandle _handle;
    private readonly EventLoop _loop;
    private readonly Readiness _read = new();
    private readonly Readiness _write = new();
    private int _disposed;
    private bool _registered;

    private LoopSocket(Socket socket, EventLoop loop)
    {
        Socket = socket;
        _loop = loop;
        socket.Blocking = false;
        _handle = socket.SafeHandle;
        Fd = (int)_handle.DangerousGetHandle();
    }

    public Socket Socket { get; }

    public int Fd { get; }

    /// <summary>Takes over a bound, listening socket.</summary>
    public static LoopSocket Listen(Socket listener, EventLoop loop) => Registered(new LoopSocket(listener, loop));

    /// <summary>Opens a connection; the socket is registered once the kernel took the connect.</summary>
    public static async ValueTask<LoopSocket> ConnectAsync(IPEndPoint endPoint, EventLoop loop, CancellationToken cancellationToken)
    {
        var socket = new LoopSocket(new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }, loop);
        try
        {
            var address = endPoint.Serialize();
            if (Libc.Connect(socket.Fd, address.Buffer.Span[..address.Size]) != 0)
            {
                var error = Libc.LastError;
                if (error != Libc.EInProgress)
                {
                    throw Libc.Error(error);
                }

                // Registered after connect: the first write event is the connection's outcome.
                socket._write.Drained(socket._write.Observe());
                Registered(socket);
                await socket._write.WaitAsync(cancellationToken).ConfigureAwait(false);
                // .NET reports SO_ERROR as a SocketError.
                var outcome = (SocketError)(int)socket.Socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (outcome != SocketError.Success)
                {
                    throw new SocketException((int)outcome);
                }
            }
            else
            {
                Registered(socket);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static LoopSocket Registered(LoopSocket socket)
    {
        socket._loop.Register(socket);
        socket._registered = true;
        return socket;
    }

    /// <summary>Called by the loop with the epoll event flags.</summary>
    /// <summary>Called once, on the loop's thread, when the peer ends its side, hangs up or the socket fails (before any
    /// reader sees it).</summary>
    public Action? PeerEnded { get; set; }

    internal void OnEvents(int events)
    {
        if ((events & (Libc.EpollRdHup | Libc.EpollHup | Libc.EpollErr)) != 0)
        {
            _read.SignalEnd();
            if (PeerEnded is { } ended)
            {
                PeerEnded = null;
                ended();
            }
        }
        else if ((events & Libc.EpollIn) != 0)
        {
            _read.Signal();
        }

        if ((events & (Libc.EpollHup | Libc.EpollErr)) != 0)
        {
            _write.SignalEnd();
        }
        else if ((events & Libc.EpollOut) != 0)
        {
            _write.Signal();
        }
    }

    /// <summary>False when the socket was found drained and no event arrived since: a read now would find nothing.</summary>
    public bool MayRead => _read.IsReady;

    /// <summary>Completes when the socket may have bytes (or an end, or an error) to read; at once when it was not found drained.</summary>
    public ValueTask WaitReadableAsync(CancellationToken cancellationToken) => _read.WaitAsync(cancellationToken);

    /// <summary>Accepts a pending connection: null when none is pending now.</summary>
    public LoopSocket? TryAccept()
    {
        while (true)
        {
            var observed = _read.Observe();
            int fd, error = 0;
            using (Use())
            {
                fd = Libc.Accept(Fd);
                if (fd < 0)
                {
                    error = Libc.LastError;
                }
            }

            if (fd >= 0)
            {
                var socket = new LoopSocket(new Socket(new SafeSocketHandle(fd, ownsHandle: true)) { NoDelay = true }, _loop);
                return Registered(socket);
            }

            if (error == Libc.EAgain)
            {
                _read.Drained(observed);
                return null;
            }

            if (error is not (Libc.EIntr or 103 /* ECONNABORTED */))
            {
                throw Libc.Error(error);
            }
        }
    }

    /// <summary>Reads what the kernel has: the byte count, 0 at the end of the stream, -1 when it has nothing now.</summary>
    public int TryReceive(Span<byte> buffer)
    {
        while (true)
        {
            var observed = _read.Observe();
            int read, error = 0;
            using (Use())
            {
                read = Libc.Receive(Fd, buffer);
                if (read < 0)
                {
                    error = Libc.LastError;
                }
            }

            if (read >= 0)
            {
                if (read < buffer.Length)
                {
                    // A short read emptied the socket; the next arrival is a new edge.
                    _read.Drained(observed);
                }

                return read;
            }

            if (error == Libc.EAgain)
            {
                _read.Drained(observed);
                return -1;
            }

            if (error != Libc.EIntr)
            {
                throw Libc.Error(error);
            }
        }
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (!buffer.IsEmpty && _read.IsReady)
        {
            var read = TryReceive(buffer.Span);
            if (read >= 0)
            {
                return new ValueTask<int>(read);
            }
        }

        return ReceiveWhenReadyAsync(buffer, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveWhenReadyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _read.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (buffer.IsEmpty)
            {
                return 0;
            }

            var read = TryReceive(buffer.Span);
            if (read >= 0)
            {
                return read;
            }
        }
    }

    /// <summary>Completes when the socket may take more bytes (or has failed).</summary>
    public ValueTask WaitWritableAsync(CancellationToken cancellationToken) => _write.WaitAsync(cancellationToken);

    /// <summary>Wakes a waiting read without an event.</summary>
    public void InterruptRead() => _read.Interrupt();

    /// <summary>Wakes a waiting write without an event.</summary>
    public void InterruptWrite() => _write.Interrupt();

    /// <summary>True when the peer ended the stream and nothing is left to read, or the socket failed.</summary>
    public bool HasEnded()
    {
        using (Use())
        {
            var peeked = Libc.Peek(Fd);
            return peeked == 0 || (peeked < 0 && Libc.LastError is not (Libc.EAgain or Libc.EIntr));
        }
    }

    /// <summary>Holds the descriptor open for one system call (a concurrent close waits for it, so the number cannot be
    /// reused by another socket meanwhile); throws <see cref="ObjectDisposedException"/> once the socket is closed.</summary>
    private HandleUse Use()
    {
        var added = false;
        _handle.DangerousAddRef(ref added);
        return new HandleUse(_handle);
    }

    private readonly struct HandleUse(SafeSocketHandle handle) : IDisposable
    {
        public void Dispose() => handle.DangerousRelease();
    }

    /// <summary>Sends as much as the kernel takes now: the byte count.</summary>
    public int TrySend(ReadOnlySpan<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var observed = _write.Observe();
            int sent, error = 0;
            using (Use())
            {
                sent = Libc.Send(Fd, buffer[total..]);
                if (sent < 0)
                {
                    error = Libc.LastError;
                }
            }

            if (sent >= 0)
            {
                total += sent;
                continue;
            }

            if (error == Libc.EAgain)
            {
                _write.Drained(observed);
                return total;
            }

            if (error != Libc.EIntr)
            {
                throw Libc.Error(error);
            }
        }

        return total;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        var sent = TrySend(buffer.Span);
        return sent == buffer.Length ? default : SendWhenReadyAsync(buffer[sent..], cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendWhenReadyAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
            buffer = buffer[TrySend(buffer.Span)..];
        }
    }

    /// <summary>Closes the descriptor (once nothing is using it); a waiting operation wakes and fails.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_registered)
        {
            _loop.Unregister(this);
        }

        Socket.Dispose();
        _read.Signal();
        _write.Signal();
    }
}
