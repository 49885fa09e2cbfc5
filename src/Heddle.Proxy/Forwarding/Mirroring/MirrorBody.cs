using System.Buffers;

namespace Heddle.Proxy.Forwarding.Mirroring;

/// <summary>
/// A request body on its way to the primary destination that keeps a copy (up to a limit) for the route's mirrors.
/// The primary reads it as it arrives, never waiting for the copies; when the primary has read it to the end, the
/// copies are sent with the whole body (<see cref="MirrorSender"/>). A body that grows past the limit, or that the
/// primary does not read to the end (its upstream answered first, the try failed), is not mirrored. Chunked bodies
/// and gRPC calls are copied the same way: a gRPC call is mirrored once its client finished sending.
/// </summary>
internal sealed class MirrorBody(Stream inner, int limit, MirrorBody.ICompletion completion) : Stream
{
    private const int InitialSize = 4096;

    private byte[]? _record = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _recorded;

    /// <summary>Gets the whole body once the primary read it to the end.</summary>
    public interface ICompletion
    {
        void BodyComplete(byte[] body);
    }

    /// <summary>The body went past the limit (or was abandoned): no copy is sent.</summary>
    public bool Abandoned => _record is null;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Keep(buffer[..read], read == 0 && !buffer.IsEmpty);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Keep(buffer.Span[..read], read == 0 && !buffer.IsEmpty);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Gives up the copy (the request ended without the body being read to the end).</summary>
    public void Abandon()
    {
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

    private void Keep(ReadOnlySpan<byte> bytes, bool ended)
    {
        if (_record is null)
        {
            return;
        }

        if (ended)
        {
            var body = _record.AsSpan(0, _recorded).ToArray();
            Abandon();
            completion.BodyComplete(body);
            return;
        }

        if (_recorded + bytes.Length > limit)
        {
            Abandon();
            return;
        }

        if (_recorded + bytes.Length > _record.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(limit, Math.Max(_recorded + bytes.Length, _record.Length * 2)));
            _record.AsSpan(0, _recorded).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_record);
            _record = grown;
        }

        bytes.CopyTo(_record.AsSpan(_recorded));
        _recorded += bytes.Length;
    }
}
