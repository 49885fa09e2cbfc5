using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Connections;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// A connection's input read straight from its <see cref="LoopSocket"/> into one pooled buffer, on demand: no receive
/// loop and no pipe in between. <see cref="ReadAsync"/> returns the unexamined bytes, or reads the socket (waiting on
/// the loop when it has nothing); the buffer grows when a reader examines all of it without consuming.
/// </summary>
internal sealed class LoopPipeReader : PipeReader, IValueTaskSource<ReadResult>
{
    private const int InitialSize = 4096;

    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private bool _examinedAll;
    private bool _endOfStream;
    private Exception? _error;
    private bool _completed;
    private volatile bool _cancelRequested;
    private readonly LoopSocket _socket;
    private readonly Action<Exception?> _ended;
    private readonly Action _onReadable;
    private ManualResetValueTaskSourceCore<ReadResult> _core;
    private ValueTask _wait;
    private CancellationToken _token;

    public LoopPipeReader(LoopSocket socket, Action<Exception?> ended)
    {
        _socket = socket;
        _ended = ended;
        _onReadable = OnReadable;
    }

    /// <summary>Set when the connection is aborted: reads fail with it.</summary>
    public ConnectionAbortedException? AbortReason { get; set; }

    public override bool TryRead(out ReadResult result)
    {
        ThrowIfCompleted();
        if (_cancelRequested)
        {
            _cancelRequested = false;
            result = new ReadResult(Buffered(), isCanceled: true, isCompleted: false);
            return true;
        }

        if ((_end > _start && !_examinedAll) || _endOfStream || _error is not null)
        {
            result = Result();
            return true;
        }

        result = default;
        return false;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (TryRead(out var ready))
        {
            return new ValueTask<ReadResult>(ready);
        }

        MakeRoom();
        return TryReadSocket(out var read) ? new ValueTask<ReadResult>(read) : WaitThenRead(cancellationToken);
    }

    /// <summary>Waits on the loop for the socket, then reads: the read completes through this reader
    /// (<see cref="IValueTaskSource{TResult}"/>), with no async method and no allocation per read.</summary>
    private ValueTask<ReadResult> WaitThenRead(CancellationToken cancellationToken)
    {
        _token = cancellationToken;
        while (true)
        {
            var wait = _socket.WaitReadableAsync(cancellationToken);
            if (!wait.IsCompleted)
            {
                _core.Reset();
                _wait = wait;
                wait.GetAwaiter().UnsafeOnCompleted(_onReadable);
                if (_cancelRequested)
                {
                    // CancelPendingRead ran before the wait was in place.
                    _socket.InterruptRead();
                }

                return new ValueTask<ReadResult>(this, _core.Version);
            }

            wait.GetAwaiter().GetResult();
            if (TryReadSocket(out var read))
            {
                return new ValueTask<ReadResult>(read);
            }
        }
    }

    private void OnReadable()
    {
        while (true)
        {
            try
            {
                _wait.GetAwaiter().GetResult();
                if (TryReadSocket(out var read))
                {
                    _core.SetResult(read);
                    return;
                }

                var wait = _socket.WaitReadableAsync(_token);
                _wait = wait;
                if (!wait.IsCompleted)
                {
                    wait.GetAwaiter().UnsafeOnCompleted(_onReadable);
                    return;
                }
            }
            catch (Exception e)
            {
                _core.SetException(e);
                return;
            }
        }
    }

    /// <summary>Reads the socket if it may have bytes: true with a result (bytes, the end, a cancelled read; throws a broken
    /// connection's error when nothing is buffered), false when the caller must wait.</summary>
    private bool TryReadSocket(out ReadResult result)
    {
        if (_socket.MayRead)
        {
            try
            {
                var read = _socket.TryReceive(_buffer.AsSpan(_end));
                if (read > 0)
                {
                    _end += read;
                    _examinedAll = false;
                    result = Result();
                    return true;
                }

                if (read == 0)
                {
                    _endOfStream = true;
                    _ended(null);
                    result = Result();
                    return true;
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Broken(e);
                result = Result();
                return true;
            }
        }

        if (_cancelRequested)
        {
            _cancelRequested = false;
            result = new ReadResult(Buffered(), isCanceled: true, isCompleted: false);
            return true;
        }

        result = default;
        return false;
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>For <see cref="LoopPipeStream"/>: buffered bytes first, then the socket straight into
    /// <paramref name="destination"/>; 0 at the end of the stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadIntoAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        ThrowIfCompleted();
        if (_end > _start)
        {
            var count = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, count).CopyTo(destination.Span);
            AdvanceTo(new SequencePosition(_buffer, _start + count));
            return count;
        }

        if (_endOfStream || destination.IsEmpty)
        {
            return 0;
        }

        if (_error is not null)
        {
            throw new IOException(_error.Message, _error);
        }

        try
        {
            var read = await _socket.ReceiveAsync(destination, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
                _ended(null);
            }

            return read;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw new IOException(e.Message, Broken(e));
        }
    }

    /// <summary>The socket broke: what reads report from now on (the abort's reason when the connection was aborted),
    /// and the connection learns it has ended.</summary>
    private Exception Broken(Exception e)
    {
        _error = (Exception?)AbortReason ?? (e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted } socketError
            ? new ConnectionResetException(socketError.Message, socketError)
            : new ConnectionAbortedException(e.Message, e));
        _ended(_error);
        return _error;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var consumedAt = PositionOf(consumed);
        var examinedAt = PositionOf(examined);
        if (consumedAt < _start || consumedAt > _end || examinedAt < consumedAt || examinedAt > _end)
        {
            throw new InvalidOperationException("the position is not in the last buffer read");
        }

        _start = consumedAt;
        _examinedAll = examinedAt == _end;
        if (_start == _end)
        {
            _start = _end = 0;
            _examinedAll = false;
            ReturnEmptyBuffer();
        }
    }

    public override void CancelPendingRead()
    {
        _cancelRequested = true;
        _socket.InterruptRead();
    }

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _start = _end = 0;
        ReturnEmptyBuffer();
    }

    public override Stream AsStream(bool leaveOpen = false) => new LoopPipeStream(this, null, leaveOpen);

    private int PositionOf(SequencePosition position) =>
        position.GetObject() is null ? _start : position.GetInteger();

    private ReadOnlySequence<byte> Buffered() =>
        _end > _start ? new ReadOnlySequence<byte>(_buffer, _start, _end - _start) : ReadOnlySequence<byte>.Empty;

    private ReadResult Result()
    {
        if (_error is not null && _end == _start)
        {
            throw _error;
        }

        return new ReadResult(Buffered(), isCanceled: false, isCompleted: _endOfStream || _error is not null);
    }

    /// <summary>Space after the buffered bytes: compacts, and doubles the buffer when the reader needs more than it holds.</summary>
    private void MakeRoom()
    {
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
            return;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    /// <summary>An idle connection holds no buffer.</summary>
    private void ReturnEmptyBuffer()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("reading is not allowed after the reader was completed");
        }
    }
}
