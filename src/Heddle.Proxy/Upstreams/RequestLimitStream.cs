namespace Heddle.Proxy.Upstreams;

/// <summary>
/// An HTTP/1.1 upstream connection that carries at most a given number of requests (connectionPool.http.
/// maxRequestsPerConnection). SocketsHttpHandler cannot count requests per connection, so the connection counts them
/// itself: a request starts with the first write after the previous response was read (HTTP/1.1 sends one request at a
/// time and the handler does not pipeline) that begins with a method token. Into the last allowed request's header block
/// it inserts <c>Connection: close</c>; the server then answers with <c>Connection: close</c> and closes, and the handler
/// opens a new connection for the next request.
/// </summary>
internal sealed class RequestLimitStream(Stream inner, int maxRequests) : Stream
{
    private static readonly byte[] ConnectionClose = "Connection: close\r\n"u8.ToArray();

    private int _requests;
    private bool _readSinceWrite = true;
    private bool _injecting;
    // How much of "\r\n\r\n" the bytes written so far end with.
    private int _matched;

    /// <summary>Requests started on this connection.</summary>
    public int Requests => _requests;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _readSinceWrite = true;
        return inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _readSinceWrite = true;
        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var split = Inspect(buffer);
        if (split < 0)
        {
            inner.Write(buffer);
            return;
        }

        inner.Write(buffer[..split]);
        inner.Write(ConnectionClose);
        inner.Write(buffer[split..]);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var split = Inspect(buffer.Span);
        return split < 0 ? inner.WriteAsync(buffer, cancellationToken) : WriteSplitAsync(buffer, split, cancellationToken);
    }

    private async ValueTask WriteSplitAsync(ReadOnlyMemory<byte> buffer, int split, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(buffer[..split], cancellationToken).ConfigureAwait(false);
        await inner.WriteAsync(ConnectionClose, cancellationToken).ConfigureAwait(false);
        await inner.WriteAsync(buffer[split..], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts a request that starts in <paramref name="buffer"/>; returns where <c>Connection: close</c> goes
    /// (before the blank line ending the last allowed request's headers), or -1.</summary>
    private int Inspect(ReadOnlySpan<byte> buffer)
    {
        if (_readSinceWrite && StartsWithMethod(buffer))
        {
            _requests++;
            _injecting = _requests >= maxRequests;
            _matched = 0;
        }

        _readSinceWrite = false;
        if (!_injecting)
        {
            return -1;
        }

        for (var i = 0; i < buffer.Length; i++)
        {
            var expected = _matched % 2 == 0 ? (byte)'\r' : (byte)'\n';
            if (buffer[i] == expected)
            {
                _matched++;
            }
            else
            {
                _matched = buffer[i] == '\r' ? 1 : 0;
            }

            // After "\r\n" ending the last header line, the next "\r\n" ends the block: insert before it. When that
            // blank line starts in this buffer, the insertion point is its '\r'.
            if (_matched == 3)
            {
                _injecting = false;
                return i;
            }
        }

        // The block did not end here. When this buffer ends with "\r\n\r" the split fell inside the blank line, which
        // a single handler write never does; the header is then left out rather than corrupting the request.
        return -1;
    }

    private static bool StartsWithMethod(ReadOnlySpan<byte> buffer)
    {
        var space = buffer.IndexOf((byte)' ');
        if (space <= 0)
        {
            return false;
        }

        foreach (var b in buffer[..space])
        {
            if (b is < (byte)'A' or > (byte)'Z')
            {
                return false;
            }
        }

        return true;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
