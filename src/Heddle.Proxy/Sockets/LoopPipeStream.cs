namespace Heddle.Proxy.Sockets;

/// <summary>
/// A loop connection's reader or writer as a stream (<c>AsStream</c>), e.g. for TLS over an accepted connection: reads
/// take what the reader has buffered (the sniffed first bytes) and then go straight from the socket into the caller's
/// buffer, with no pipe in between; writes go straight to the socket when nothing is waiting to be sent. Failures
/// surface as <see cref="IOException"/>, as from a network stream.
/// </summary>
internal sealed class LoopPipeStream(LoopPipeReader? reader, LoopPipeWriter? writer, bool leaveOpen) : Stream
{
    public override bool CanRead => reader is not null;

    public override bool CanSeek => false;

    public override bool CanWrite => writer is not null;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Reader.ReadIntoAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Reader.ReadIntoAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Writer.WriteThroughAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Writer.WriteThroughAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    // Blocking here would stall every connection on the loop's thread.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("a loop connection is asynchronous only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("a loop connection is asynchronous only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private LoopPipeReader Reader => reader ?? throw new NotSupportedException("a write-only stream");

    private LoopPipeWriter Writer => writer ?? throw new NotSupportedException("a read-only stream");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            reader?.Complete();
            writer?.Complete();
        }

        base.Dispose(disposing);
    }
}
