using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Heddle.Proxy.Links;

/// <summary>
/// The pipe a served link stream's requests are read from. .NET's <c>StreamPipeReader</c> allocates a state machine
/// for every read that has to wait, and a sidecar's server side has a read waiting on each of its streams: at
/// 1,000 requests/s that was most of what the server sidecar allocated, and a collection every few seconds. This
/// reader keeps one buffer (rented from the shared pool, grown when a caller examined all of it) and completes its
/// reads from the stream's own completion: a read that waits allocates nothing.
/// </summary>
/// <remarks>Works over any stream; the stream stays open when the reader completes (its owner closes it).</remarks>
internal sealed class LinkStreamReader : PipeReader, IValueTaskSource<ReadResult>
{
    /// <summary>The least free space a read from the stream is given.</summary>
    private const int MinimumReadSize = 4 * 1024;

    private readonly Stream _stream;
    private readonly Action _streamReadCompleted;
    private readonly Lock _lock = new();

    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private int _examined;

    // What the last result handed out covered, to turn the caller's positions back into offsets.
    private int _handedStart;
    private int _handedLength;

    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _streamRead;
    private bool _streamReading;
    private bool _streamEnded;
    private Exception? _streamError;

    private ManualResetValueTaskSourceCore<ReadResult> _read;
    private bool _waiting;
    private CancellationTokenRegistration _readCancellation;
    private bool _cancelNext;
    private bool _completed;

    public LinkStreamReader(Stream stream)
    {
        _stream = stream;
        _streamReadCompleted = OnStreamReadCompleted;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ThrowIfCompletedOrWaiting();
            if (TryTakeResult(out var ready))
            {
                return new ValueTask<ReadResult>(ready);
            }

            cancellationToken.ThrowIfCancellationRequested();
            while (!_streamReading)
            {
                // The caller examined everything: more bytes are needed from the stream.
                var read = _stream.ReadAsync(FreeSpace(), CancellationToken.None);
                if (!read.IsCompleted)
                {
                    _streamRead = read.ConfigureAwait(false).GetAwaiter();
                    _streamReading = true;
                    _streamRead.UnsafeOnCompleted(_streamReadCompleted);
                    break;
                }

                Received(read.GetAwaiter().GetResult());
                if (TryTakeResult(out ready))
                {
                    return new ValueTask<ReadResult>(ready);
                }
            }

            _read.Reset();
            _waiting = true;
            if (cancellationToken.CanBeCanceled)
            {
                // Inside the lock (it is re-entrant): a callback that runs at once finds the read published.
                _readCancellation = cancellationToken.UnsafeRegister(static state => ((LinkStreamReader)state!).CancelWaitingRead(), this);
            }

            return new ValueTask<ReadResult>(this, _read.Version);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (_lock)
        {
            ThrowIfCompletedOrWaiting();
            return TryTakeResult(out result);
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        lock (_lock)
        {
            // GetOffset of a position in an array-backed sequence counts from the array's start, not the sequence's.
            var handed = new ReadOnlySequence<byte>(_buffer, _handedStart, _handedLength);
            var origin = handed.GetOffset(handed.Start);
            var consumedOffset = (int)(handed.GetOffset(consumed) - origin);
            var examinedOffset = (int)(handed.GetOffset(examined) - origin);
            if (examinedOffset < consumedOffset)
            {
                throw new InvalidOperationException("the examined position is before the consumed one");
            }

            _start = _handedStart + consumedOffset;
            _examined = Math.Max(_examined, _handedStart + examinedOffset);
            _handedLength = 0;
            if (_start == _end && !_streamReading)
            {
                _start = _end = _examined = 0;
            }
        }
    }

    public override void CancelPendingRead()
    {
        ReadResult canceled;
        lock (_lock)
        {
            if (!_waiting)
            {
                _cancelNext = true;
                return;
            }

            _waiting = false;
            canceled = Hand(isCanceled: true);
        }

        _readCancellation.Unregister();
        _read.SetResult(canceled);
    }

    public override void Complete(Exception? exception = null)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (!_streamReading)
            {
                ReturnBuffer();
            }

            // Otherwise the stream still reads into the buffer: it goes back to the pool when that read ends.
        }
    }

    private void OnStreamReadCompleted()
    {
        var waiting = false;
        ReadResult result = default;
        Exception? error = null;
        lock (_lock)
        {
            _streamReading = false;
            try
            {
                Received(_streamRead.GetResult());
            }
            catch (Exception e)
            {
                _streamError = e;
            }

            _streamRead = default;
            if (_completed)
            {
                ReturnBuffer();
                return;
            }

            if (_waiting)
            {
                _waiting = false;
                waiting = true;
                error = _streamError;
                if (error is null)
                {
                    result = Hand(isCanceled: false);
                }
            }
        }

        if (!waiting)
        {
            // The read that asked for these bytes was canceled meanwhile: they wait for the next one.
            return;
        }

        _readCancellation.Unregister();
        if (error is not null)
        {
            _read.SetException(error);
        }
        else
        {
            _read.SetResult(result);
        }
    }

    private void CancelWaitingRead()
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
        }

        _read.SetException(new OperationCanceledException());
    }

    /// <summary>A result for the caller now, if there is one: a pending cancellation, bytes it has not examined yet,
    /// or the stream's end or failure.</summary>
    private bool TryTakeResult(out ReadResult result)
    {
        if (_cancelNext)
        {
            _cancelNext = false;
            result = Hand(isCanceled: true);
            return true;
        }

        if (_streamError is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        if (_end > _examined || _streamEnded)
        {
            result = Hand(isCanceled: false);
            return true;
        }

        result = default;
        return false;
    }

    private ReadResult Hand(bool isCanceled)
    {
        _handedStart = _start;
        _handedLength = _end - _start;
        return new ReadResult(new ReadOnlySequence<byte>(_buffer, _start, _end - _start), isCanceled, _streamEnded);
    }

    /// <summary>What a read from the stream brought: bytes after the kept ones, or (0) the stream's end.</summary>
    private void Received(int read)
    {
        if (read == 0)
        {
            _streamEnded = true;
        }
        else
        {
            _end += read;
        }
    }

    /// <summary>The buffer's free space after the kept bytes, made at least <see cref="MinimumReadSize"/>: the kept
    /// bytes move to the front, or into a larger buffer when they fill most of this one.</summary>
    private Memory<byte> FreeSpace()
    {
        if (_buffer.Length - _end >= MinimumReadSize)
        {
            return _buffer.AsMemory(_end);
        }

        var kept = _end - _start;
        var target = kept + MinimumReadSize <= _buffer.Length ? _buffer : ArrayPool<byte>.Shared.Rent(Math.Max(kept + MinimumReadSize, _buffer.Length * 2));
        _buffer.AsSpan(_start, kept).CopyTo(target);
        if (!ReferenceEquals(target, _buffer))
        {
            ReturnBuffer();
            _buffer = target;
        }

        _examined -= _start;
        _start = 0;
        _end = kept;
        return _buffer.AsMemory(_end);
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void ThrowIfCompletedOrWaiting()
    {
        if (_completed)
        {
            throw new InvalidOperationException("the reader was completed");
        }

        if (_waiting)
        {
            throw new InvalidOperationException("a read is already waiting");
        }
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _read.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _read.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _read.OnCompleted(continuation, state, token, flags);
}
