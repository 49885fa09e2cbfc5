using System.Buffers;
using System.Runtime.CompilerServices;
using Heddle.Proxy.Async;
using Heddle.Proxy.Security;
using Heddle.Proxy.Sockets;

namespace Heddle.Proxy.Http1;

/// <summary>
/// One kept-alive HTTP/1.1 connection to a next hop (a peer sidecar or an application), plaintext or TLS, with a
/// pooled read buffer. Bytes read past the current response head stay in the buffer for the body relay.
/// </summary>
internal sealed class UpstreamConnection : IAsyncDisposable
{
    public const int BufferSize = 16 * 1024;

    private readonly LoopSocket? _direct;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);

    /// <param name="stream">The connection (it owns its socket, or is a stream of a sidecar link).</param>
    public UpstreamConnection(Stream stream, ClientTls? tls)
    {
        Stream = stream;
        Tls = tls;
        _direct = stream is LoopStream plaintext ? plaintext.Socket : null;
    }

    /// <summary>A plaintext connection on the event loop: <see cref="TryFill"/> and <see cref="WaitReadableAsync"/> read it
    /// without a stream (and without an async method of their own per read).</summary>
    public bool CanFillDirectly => _direct is not null;

    public Stream Stream { get; }

    /// <summary>The TLS settings the connection was secured with (null: plaintext): a pooled connection is reused only
    /// while the next hop still wants the same.</summary>
    public ClientTls? Tls { get; }

    /// <summary>Requests sent on this connection so far.</summary>
    public int Requests { get; set; }

    /// <summary>When the connection went back to the pool (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long IdleSince { get; set; }

    /// <summary>Unread bytes: <see cref="Buffer"/>[<see cref="Start"/>..<see cref="End"/>].</summary>
    public int Start { get; set; }

    public int End { get; set; }

    public byte[] Buffer => _buffer;

    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(Start, End - Start);

    /// <summary>Reads more bytes into the buffer after what is there; 0 at the end of the stream. Compacts first.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        if (!MakeRoom())
        {
            return 0;
        }

        var read = await Stream.ReadAsync(_buffer.AsMemory(End), cancellationToken).ConfigureAwait(false);
        End += read;
        return read;
    }

    /// <summary>With <see cref="CanFillDirectly"/>: reads what the socket has now into the buffer; 0 at the end of the
    /// stream (or a head too large), -1 when it has nothing now.</summary>
    public int TryFill()
    {
        if (!MakeRoom())
        {
            return 0;
        }

        if (!_direct!.MayRead)
        {
            return -1;
        }

        var read = _direct.TryReceive(_buffer.AsSpan(End));
        if (read > 0)
        {
            End += read;
        }

        return read;
    }

    /// <summary>With <see cref="CanFillDirectly"/>: completes when <see cref="TryFill"/> may find bytes.</summary>
    public ValueTask WaitReadableAsync(CancellationToken cancellationToken) => _direct!.WaitReadableAsync(cancellationToken);

    /// <summary>Compacts, and grows the buffer up to the largest response head; false when it is full.</summary>
    private bool MakeRoom()
    {
        if (Start > 0)
        {
            _buffer.AsSpan(Start, End - Start).CopyTo(_buffer);
            End -= Start;
            Start = 0;
        }

        if (End == _buffer.Length)
        {
            if (_buffer.Length >= ResponseHeadParser.MaxHeadSize + 4)
            {
                return false;
            }

            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, End).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return true;
    }

    public void Consume(int count)
    {
        Start += count;
        if (Start == End)
        {
            Start = End = 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
