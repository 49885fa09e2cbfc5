namespace Heddle.Proxy.Sockets;

/// <summary>A <see cref="LoopSocket"/> as a stream, for the lean path's upstream connections (and TLS over them). Owns the socket.</summary>
internal sealed class LoopStream(LoopSocket socket) : AsyncOnlyStream
{
    public LoopSocket Socket => socket;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        socket.ReceiveAsync(buffer, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        socket.SendAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            socket.Dispose();
        }

        base.Dispose(disposing);
    }
}
