using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// A connection's output written straight to its <see cref="LoopSocket"/>: bytes gather in one pooled buffer and
/// <see cref="FlushAsync"/> sends them, with no send loop and no pipe in between. When the kernel cannot take them all,
/// the rest is sent from the loop while new writes go to a fresh buffer (a flush waits for the one before it).
/// A failed send completes the writer as a pipe whose reader went away does (<see cref="FlushResult.IsCompleted"/>).
/// </summary>
internal sealed class LoopPipeWriter(LoopSocket socket, Action<Exception?> failed, Action completed) : PipeWriter
{
    private const int MinimumSize = 4096;
    private const int MaximumKeptSize = 64 * 1024;

    private byte[] _buffer = [];
    private int _written;
    private Task _sending = Task.CompletedTask;
    private bool _broken;
    private bool _completed;
    private volatile bool _cancelRequested;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _written;

    public override void Advance(int bytes)
    {
        if ((uint)bytes > (uint)(_buffer.Length - _written))
        {
            throw new ArgumentOutOfRangeException(nameof(bytes));
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_cancelRequested)
        {
            _cancelRequested = false;
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: true, isCompleted: false));
        }

        if (!_sending.IsCompleted)
        {
            return FlushAfterPendingAsync(cancellationToken);
        }

        if (_broken)
        {
            _written = 0;
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }

        if (_written == 0)
        {
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
        }

        int sent;
        try
        {
            sent = socket.TrySend(_buffer.AsSpan(0, _written));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Break(e);
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        }

        if (sent == _written)
        {
            _written = 0;
            if (_buffer.Length > MaximumKeptSize)
            {
                // A large response does not leave its buffer behind on a kept-alive connection.
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }

            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
        }

        // The kernel is full: the rest goes from the loop, and new writes to a fresh buffer.
        var rest = _buffer;
        var restStart = sent;
        var restEnd = _written;
        _buffer = [];
        _written = 0;
        _sending = SendRestAsync(rest, restStart, restEnd);
        return FlushAfterPendingAsync(cancellationToken);
    }

    /// <summary>For <see cref="LoopPipeStream"/>: sends <paramref name="source"/> straight from the caller's buffer when
    /// nothing is waiting to go before it; a closed connection throws <see cref="IOException"/>.</summary>
    public ValueTask WriteThroughAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        if (_written == 0 && _sending.IsCompleted && !_broken)
        {
            try
            {
                var sent = socket.TrySend(source.Span);
                if (sent == source.Length)
                {
                    return default;
                }

                source = source[sent..];
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Break(e);
                return ValueTask.FromException(new IOException(e.Message, e));
            }
        }

        source.Span.CopyTo(GetSpan(source.Length));
        Advance(source.Length);
        return FlushOrThrowAsync(cancellationToken);
    }

    private async ValueTask FlushOrThrowAsync(CancellationToken cancellationToken)
    {
        var result = await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted)
        {
            throw new IOException("the connection was closed");
        }
    }

    private async Task SendRestAsync(byte[] buffer, int start, int end)
    {
        try
        {
            while (start < end)
            {
                await socket.WaitWritableAsync(CancellationToken.None).ConfigureAwait(false);
                start += socket.TrySend(buffer.AsSpan(start, end - start));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Break(e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> FlushAfterPendingAsync(CancellationToken cancellationToken)
    {
        var pending = _sending;
        if (cancellationToken.CanBeCanceled)
        {
            await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await pending.ConfigureAwait(false);
        }

        if (_cancelRequested)
        {
            _cancelRequested = false;
            return new FlushResult(isCanceled: true, isCompleted: false);
        }

        return await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override Stream AsStream(bool leaveOpen = false) => new LoopPipeStream(null, this, leaveOpen);

    public override void CancelPendingFlush()
    {
        _cancelRequested = true;
        socket.InterruptWrite();
    }

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        // Bytes written but never flushed still go out (after any send still waiting), as a pipe's reader would send
        // them; then the connection closes.
        var last = _written > 0 && !_broken ? FlushAsync().AsTask() : _sending;
        last.ContinueWith(static (_, state) => ((LoopPipeWriter)state!).Finish(), this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Complete(exception);
        return default;
    }

    private void Finish()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        completed();
    }

    private void Break(Exception error)
    {
        _broken = true;
        failed(error);
    }

    private void Reserve(int sizeHint)
    {
        if (_completed)
        {
            throw new InvalidOperationException("writing is not allowed after the writer was completed");
        }

        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinimumSize, _buffer.Length * 2)));
        if (_buffer.Length > 0)
        {
            _buffer.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
