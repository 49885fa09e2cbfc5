using System.Buffers;

namespace Heddle.Proxy.Forwarding.Retries;

/// <summary>
/// A request body that streams to the upstream as it arrives and keeps what it passed on (up to a limit), so that a
/// retry can send it again: the recorded bytes first, then whatever the client has not sent yet. A body that grew past
/// the limit cannot be replayed. The record lives in a pooled buffer, returned by <see cref="Release"/>.
/// </summary>
internal sealed class RecordingBody(Stream inner, int limit) : Stream
{
    private const int InitialSize = 4096;

    private byte[]? _record;
    private int _recorded;
    private int _replayed;

    /// <summary>More than the limit went through: the body cannot be sent again.</summary>
    public bool Overflowed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Starts the body over for the next try; false when it overflowed.</summary>
    public bool Rewind()
    {
        if (Overflowed)
        {
            return false;
        }

        _replayed = 0;
        return true;
    }

    public override int Read(Span<byte> buffer)
    {
        if (TryReplay(buffer, out var copied))
        {
            return copied;
        }

        var read = inner.Read(buffer);
        Record(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TryReplay(buffer.Span, out var copied))
        {
            return copied;
        }

        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Record(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Returns the record to the pool; the body cannot be replayed afterwards.</summary>
    public void Release()
    {
        Overflowed = true;
        if (_record is { } record)
        {
            _record = null;
            ArrayPool<byte>.Shared.Return(record);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool TryReplay(Span<byte> destination, out int copied)
    {
        copied = 0;
        if (_replayed >= _recorded || _record is null || destination.IsEmpty)
        {
            return false;
        }

        copied = Math.Min(destination.Length, _recorded - _replayed);
        _record.AsSpan(_replayed, copied).CopyTo(destination);
        _replayed += copied;
        return true;
    }

    private void Record(ReadOnlySpan<byte> bytes)
    {
        if (Overflowed || bytes.IsEmpty)
        {
            return;
        }

        if (_recorded + bytes.Length > limit)
        {
            Release();
            return;
        }

        if (_record is null || _recorded + bytes.Length > _record.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(limit, Math.Max(InitialSize, Math.Max(_recorded + bytes.Length, (_record?.Length ?? 0) * 2))));
            if (_record is not null)
            {
                _record.AsSpan(0, _recorded).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_record);
            }

            _record = grown;
        }

        bytes.CopyTo(_record.AsSpan(_recorded));
        _recorded += bytes.Length;
        _replayed = _recorded;
    }
}
