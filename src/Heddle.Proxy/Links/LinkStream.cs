using System.Buffers;
using System.Threading.Tasks.Sources;
using Heddle.Proxy.Sockets;

namespace Heddle.Proxy.Links;

/// <summary>
/// One stream of a <see cref="SidecarLink"/>: a virtual connection between two sidecars that carries what one TCP
/// connection would (kept-alive HTTP/1.1 requests, one after another). Each direction has a window: the sender may
/// have at most <see cref="Window"/> bytes that the receiver has not consumed yet, so a stream whose reader is slow
/// never holds up the link. Reads end (0) when the peer closes the stream or the link breaks; writes then fail with
/// an <see cref="IOException"/>. Disposing closes the stream for both directions.
/// </summary>
internal sealed class LinkStream : AsyncOnlyStream, IValueTaskSource<int>, IValueTaskSource
{
    /// <summary>Bytes a sender may have in flight on one stream.</summary>
    public const int Window = 256 * 1024;

    private readonly SidecarLink _link;
    private readonly object _lock = new();
    private byte[] _received = [];
    private int _start;
    private int _end;
    private int _unacknowledged;
    private int _credit = Window;
    private bool _remoteClosed;
    private bool _closed;
    private bool _broken;

    // The one read waiting for bytes, and the one write waiting for window; continuations run on the thread that
    // completes them (the link's reader).
    private ManualResetValueTaskSourceCore<int> _read;
    private Memory<byte> _readInto;
    private bool _reading;
    private CancellationTokenRegistration _readCancellation;
    private CancellationToken _readToken;
    private ManualResetValueTaskSourceCore<bool> _room;
    private bool _waitingForRoom;
    private CancellationTokenRegistration _roomCancellation;
    private CancellationToken _roomToken;
    private int _receivedUnacknowledged;

    public LinkStream(SidecarLink link, uint id)
    {
        _link = link;
        Id = id;
    }

    public uint Id { get; }

    /// <summary>The peer refused the stream when it opened (it was draining or full): nothing sent on it was served.</summary>
    public bool WasRefused { get; private set; }

    /// <summary>Called once when the peer closed the stream or the link broke (not when this side closed it).</summary>
    public Action? Ended { get; set; }

    /// <summary>Closed by this side.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>Closed by the peer or broken with its link: it can carry nothing more (read without the lock: a pool
    /// skips such a stream; one that ends just after is found out by its next request, as a closed connection is).</summary>
    public bool HasEnded => Volatile.Read(ref _remoteClosed) || Volatile.Read(ref _broken);

    /// <summary>Closed by the peer (its Close frame arrived).</summary>
    public bool IsRemoteClosed
    {
        get
        {
            lock (_lock)
            {
                return _remoteClosed;
            }
        }
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        int acknowledge;
        lock (_lock)
        {
            if (_reading)
            {
                throw new InvalidOperationException("a read is already pending on this link stream");
            }

            if (_end > _start || buffer.IsEmpty)
            {
                read = Math.Min(buffer.Length, _end - _start);
                _received.AsSpan(_start, read).CopyTo(buffer.Span);
                _start += read;
                acknowledge = Consumed(read);
            }
            else if (_remoteClosed || _closed || _broken)
            {
                return new ValueTask<int>(0);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                _read.Reset();
                _readInto = buffer;
                _reading = true;
                if (cancellationToken.CanBeCanceled)
                {
                    // Inside the lock (it is re-entrant): a callback that runs at once finds the read published.
                    _readToken = cancellationToken;
                    _readCancellation = cancellationToken.UnsafeRegister(static (state, token) => ((LinkStream)state!).CancelRead(token), this);
                }

                return new ValueTask<int>(this, _read.Version);
            }
        }

        _link.SendWindow(this, acknowledge);
        return new ValueTask<int>(read);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        bool fits;
        lock (_lock)
        {
            ThrowIfUnwritable();
            fits = _credit >= buffer.Length;
            if (fits)
            {
                _credit -= buffer.Length;
            }
        }

        if (!fits)
        {
            // More than the window has room for now: in parts, as room comes.
            return WriteWhenRoomAsync(buffer, cancellationToken);
        }

        _link.SendData(this, buffer.Span);
        return default;
    }

    private async ValueTask WriteWhenRoomAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            ValueTask wait = default;
            int take;
            lock (_lock)
            {
                ThrowIfUnwritable();
                take = Math.Min(_credit, buffer.Length);
                _credit -= take;
                if (take == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    _room.Reset();
                    _waitingForRoom = true;
                    if (cancellationToken.CanBeCanceled)
                    {
                        _roomToken = cancellationToken;
                        _roomCancellation = cancellationToken.UnsafeRegister(static (state, token) => ((LinkStream)state!).CancelRoomWait(token), this);
                    }

                    wait = new ValueTask(this, _room.Version);
                }
            }

            if (take == 0)
            {
                await wait.ConfigureAwait(false);
                continue;
            }

            _link.SendData(this, buffer.Span[..take]);
            buffer = buffer[take..];
        }
    }

    private void ThrowIfUnwritable()
    {
        if (_closed)
        {
            throw new ObjectDisposedException(nameof(LinkStream));
        }

        if (_remoteClosed || _broken)
        {
            throw new IOException(_broken ? "the sidecar link broke" : "the peer closed the link stream");
        }
    }

    /// <summary>Bytes of the stream from the link (the link's reader): into the waiting read, the rest kept.</summary>
    internal void OnData(ReadOnlySequence<byte> payload)
    {
        int delivered;
        int acknowledge;
        lock (_lock)
        {
            if (_closed || _broken || _remoteClosed)
            {
                return;
            }

            _receivedUnacknowledged += (int)payload.Length;
            if (_receivedUnacknowledged > Window)
            {
                throw new InvalidDataException($"sidecar link: stream {Id} was sent more than its window");
            }

            delivered = 0;
            if (_reading)
            {
                delivered = (int)Math.Min(_readInto.Length, payload.Length);
                payload.Slice(0, delivered).CopyTo(_readInto.Span);
                payload = payload.Slice(delivered);
            }

            if (!payload.IsEmpty)
            {
                Keep(payload);
            }

            if (!_reading || delivered == 0)
            {
                return;
            }

            _reading = false;
            _readInto = default;
            acknowledge = Consumed(delivered);
        }

        _link.SendWindow(this, acknowledge);
        _readCancellation.Unregister();
        _read.SetResult(delivered);
    }

    /// <summary>The peer consumed <paramref name="bytes"/> more.</summary>
    internal void OnWindow(int bytes)
    {
        lock (_lock)
        {
            if ((long)_credit + bytes > Window)
            {
                throw new InvalidDataException($"sidecar link: stream {Id} was granted more than its window");
            }

            _credit += bytes;
            if (!_waitingForRoom)
            {
                return;
            }

            _waitingForRoom = false;
        }

        _roomCancellation.Unregister();
        _room.SetResult(true);
    }

    /// <summary>The peer closed the stream (<paramref name="broken"/>: the link broke; <paramref name="refused"/>: the
    /// peer refused it unserved).</summary>
    internal void OnEnded(bool broken, bool refused = false)
    {
        bool wakeReader;
        bool wakeWriter;
        lock (_lock)
        {
            if (_remoteClosed || _broken)
            {
                return;
            }

            _remoteClosed |= !broken;
            _broken |= broken;
            WasRefused = refused;
            wakeReader = _reading;
            wakeWriter = _waitingForRoom;
            _reading = false;
            _waitingForRoom = false;
        }

        Wake(wakeReader, wakeWriter);
        if (!IsClosed)
        {
            Ended?.Invoke();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            bool wakeReader;
            bool wakeWriter;
            byte[] received;
            lock (_lock)
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
                wakeReader = _reading;
                wakeWriter = _waitingForRoom;
                _reading = false;
                _waitingForRoom = false;
                received = _received;
                _received = [];
                _start = _end = 0;
            }

            if (received.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(received);
            }

            Wake(wakeReader, wakeWriter);
            _link.OnStreamClosed(this);
        }

        base.Dispose(disposing);
    }

    /// <summary>A cancellation of <paramref name="token"/>: only the read waiting on that token ends (a callback that
    /// runs late finds a later read, with another token, and leaves it alone).</summary>
    private void CancelRead(CancellationToken token)
    {
        lock (_lock)
        {
            if (!_reading || _readToken != token)
            {
                return;
            }

            _reading = false;
            _readInto = default;
        }

        _read.SetException(new OperationCanceledException());
    }

    private void CancelRoomWait(CancellationToken token)
    {
        lock (_lock)
        {
            if (!_waitingForRoom || _roomToken != token)
            {
                return;
            }

            _waitingForRoom = false;
        }

        _room.SetException(new OperationCanceledException());
    }

    /// <summary>Ends a waiting read with 0 (the end) and a waiting write with an <see cref="IOException"/>.</summary>
    private void Wake(bool reader, bool writer)
    {
        if (reader)
        {
            _readCancellation.Unregister();
            _read.SetResult(0);
        }

        if (writer)
        {
            _roomCancellation.Unregister();
            _room.SetException(new IOException("the link stream ended"));
        }
    }

    /// <summary>Counts consumed bytes; returns how many to acknowledge now (half a window at a time), else 0.</summary>
    private int Consumed(int bytes)
    {
        _unacknowledged += bytes;
        if (_unacknowledged < Window / 2 || _remoteClosed || _broken)
        {
            return 0;
        }

        var acknowledge = _unacknowledged;
        _unacknowledged = 0;
        _receivedUnacknowledged -= acknowledge;
        return acknowledge;
    }

    private void Keep(ReadOnlySequence<byte> payload)
    {
        var length = (int)payload.Length;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (_end + length > _received.Length)
        {
            var kept = _end - _start;
            if (kept + length > _received.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(kept + length, Math.Max(4096, _received.Length * 2)));
                _received.AsSpan(_start, kept).CopyTo(larger);
                if (_received.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(_received);
                }

                _received = larger;
            }
            else
            {
                _received.AsSpan(_start, kept).CopyTo(_received);
            }

            _start = 0;
            _end = kept;
        }

        payload.CopyTo(_received.AsSpan(_end));
        _end += length;
    }

    int IValueTaskSource<int>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token) => _room.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _room.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _room.OnCompleted(continuation, state, token, flags);
}
