namespace Heddle.Proxy.Sockets;

/// <summary>
/// A loop connection's reader or writer as a stream (<c>AsStream</c>), e.g. for TLS over an accepted connection: reads
/// take what the reader has buffered (the sniffed first bytes) and then go straight from the socket into the caller's
/// buffer, with no pipe in between; writes go straight to the socket when nothing is waiting to be sent. Failures
/// surface as <see cref="IOException"/>, as from a network stream.
/// </summary>
internal sealed class LoopPipeStream(LoopPipeReader? reader, LoopPipeWriter? writer, bool leaveOpen) : AsyncOnlyStream
{
    public override bool CanRead => reader is not null;

    public override bool CanWrite => writer is not null;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        (reader ?? throw new NotSupportedException("a write-only stream")).ReadIntoAsync(buffer, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        (writer ?? throw new NotSupportedException("a read-only stream")).WriteThroughAsync(buffer, cancellationToken);

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
