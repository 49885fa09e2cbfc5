namespace Heddle.Proxy.Upstreams;

/// <summary>
/// One HTTP/2 connection to one next hop that carries at most a given number of streams (connectionPool.http.
/// maxRequestsPerConnection on h2c and mutual-TLS HTTP/2 hops). SocketsHttpHandler cannot count streams per
/// connection, so each such connection gets a pool of its own that opens a single connection to that next hop (a
/// second one only when the server's concurrent-stream limit is reached, which carries fewer streams still): the
/// pool takes that many requests, then the next request gets a new one. The retired pool is disposed, closing its
/// connection, when its last request in flight ends; requests in flight finish undisturbed.
/// </summary>
internal sealed class StreamLimitedConnection(HttpMessageInvoker invoker, int maxStreams)
{
    private readonly Lock _gate = new();
    private int _started;
    private int _inFlight;

    /// <summary>Sends the requests this connection carries.</summary>
    public HttpMessageInvoker Invoker { get; } = invoker;

    /// <summary>Requests started on this connection.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Every stream was handed out: new requests need another connection.</summary>
    public bool IsFull => Volatile.Read(ref _started) >= maxStreams;

    /// <summary>Takes one stream; false when the connection has none left.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            if (_started >= maxStreams)
            {
                return false;
            }

            _started++;
            _inFlight++;
            return true;
        }
    }

    /// <summary>Ends a request taken with <see cref="TryTake"/>; the last request of a full connection closes it.</summary>
    public void Release()
    {
        bool close;
        lock (_gate)
        {
            _inFlight--;
            close = _inFlight == 0 && _started >= maxStreams;
        }

        if (close)
        {
            Invoker.Dispose();
        }
    }
}
