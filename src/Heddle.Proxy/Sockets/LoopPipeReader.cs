using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// A connection's input read straight from its <see cref="LoopSocket"/> into one pooled buffer, on demand: no receive
/// loop and no pipe in between. <see cref="ReadAsync"/> returns the unexamined bytes, or reads the socket (waiting on
/// the loop when it has nothing); the buffer grows when a reader examines all of it without consuming.
/// </summary>
internal sealed class LoopPipeReader(LoopSocket socket, Action<Exception?> ended) : PipeReader
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

        return ReadFromSocketAsync(cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadFromSocketAsync(CancellationToken cancellationToken)
    {
        MakeRoom();
        while (true)
        {
            try
            {
                if (!socket.MayRead)
                {
                    // Drained since the last read: wait for the loop instead of asking the kernel again.
                    await socket.WaitReadableAsync(cancellationToken).ConfigureAwait(false);
                }

                var read = socket.TryReceive(_buffer.AsSpan(_end));
                if (read > 0)
                {
                    _end += read;
                    _examinedAll = false;
                    return Result();
                }

                if (read == 0)
                {
                    _endOfStream = true;
                    ended(null);
                    return Result();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _error = (Exception?)AbortReason ?? (e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted } socketError
                    ? new ConnectionResetException(socketError.Message, socketError)
                    : new ConnectionAbortedException(e.Message, e));
                ended(_error);
                return Result();
            }

            if (_cancelRequested)
            {
                _cancelRequested = false;
                return new ReadResult(Buffered(), isCanceled: true, isCompleted: false);
            }
        }
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
        socket.InterruptRead();
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
