using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Heddle.Discovery.V1;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.Security;

namespace Heddle.Proxy.Upstreams;

/// <summary>
/// A cluster's own connection pools, for a DestinationRule whose connectionPool sets a connect timeout, an idle
/// timeout, maxConnections or maxRequestsPerConnection: the shared <see cref="UpstreamClients"/> cannot carry settings
/// per cluster. Created when the snapshot is applied and kept by the next snapshot while the settings stay the same;
/// the pools themselves open on first use, with the shared clients' TLS.
/// </summary>
internal sealed class ClusterConnections
{
    /// <summary>Istio's default connect timeout.</summary>
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The shared clients' idle timeout.</summary>
    private static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(90);

    private readonly int _maxConnections;
    private readonly int _maxRequestsPerConnection;
    private HttpMessageInvoker? _http1;
    private HttpMessageInvoker? _h2c;
    private HttpMessageInvoker? _plainHttp1;
    private HttpMessageInvoker? _plainH2c;
    // maxRequestsPerConnection on HTTP/2: the connection currently taking new streams, per next hop.
    private readonly ConcurrentDictionary<string, StreamLimitedConnection> _limitedH2c = new(StringComparer.Ordinal);

    private ClusterConnections(ConnectionPoolLimits limits)
    {
        Limits = limits;
        ConnectTimeout = limits.ConnectTimeoutMs > 0 ? TimeSpan.FromMilliseconds(limits.ConnectTimeoutMs) : DefaultConnectTimeout;
        IdleTimeout = limits.IdleTimeoutMs > 0 ? TimeSpan.FromMilliseconds(limits.IdleTimeoutMs) : DefaultIdleTimeout;
        _maxConnections = limits.MaxConnections is > 0 and <= int.MaxValue ? (int)limits.MaxConnections : int.MaxValue;
        _maxRequestsPerConnection = limits.MaxRequestsPerConnection is > 0 and <= int.MaxValue ? (int)limits.MaxRequestsPerConnection : 0;
    }

    public ConnectionPoolLimits Limits { get; }

    public TimeSpan ConnectTimeout { get; }

    public TimeSpan IdleTimeout { get; }

    /// <summary>Own pools when <paramref name="limits"/> set anything the shared pools cannot honour; the ones of
    /// <paramref name="before"/> when they were made for the same settings.</summary>
    public static ClusterConnections? For(ConnectionPoolLimits? limits, ClusterConnections? before)
    {
        if (limits is null || (limits.ConnectTimeoutMs == 0 && limits.IdleTimeoutMs == 0 && limits.MaxConnections == 0 && limits.MaxRequestsPerConnection == 0))
        {
            return null;
        }

        return before is not null
            && before.Limits.ConnectTimeoutMs == limits.ConnectTimeoutMs
            && before.Limits.IdleTimeoutMs == limits.IdleTimeoutMs
            && before.Limits.MaxConnections == limits.MaxConnections
            && before.Limits.MaxRequestsPerConnection == limits.MaxRequestsPerConnection
                ? before
                : new ClusterConnections(limits);
    }

    /// <summary>Whether requests of <paramref name="protocol"/> must take a stream with <see cref="TakeStream"/>
    /// (HTTP/2 with maxRequestsPerConnection; HTTP/1.1 connections count their requests themselves).</summary>
    public bool LimitsStreams(UpstreamProtocol protocol) => protocol == UpstreamProtocol.H2c && _maxRequestsPerConnection > 0;

    /// <summary>
    /// A stream on the HTTP/2 connection to <paramref name="destination"/> that still has one, opening a new connection
    /// when the current one carried maxRequestsPerConnection streams. The caller sends through its
    /// <see cref="StreamLimitedConnection.Invoker"/> and calls <see cref="StreamLimitedConnection.Release"/> when the
    /// exchange ended.
    /// </summary>
    public StreamLimitedConnection TakeStream(string destination, UpstreamClients shared, bool plaintext = false)
    {
        var tls = plaintext ? null : shared.Tls;
        if (plaintext)
        {
            destination += "|plaintext";
        }

        while (true)
        {
            var current = _limitedH2c.GetOrAdd(destination, static (_, state) => state.Self.NewLimitedConnection(state.Tls), (Self: this, Tls: tls));
            if (current.TryTake())
            {
                return current;
            }

            // Full: the next request gets a new connection (whichever racer installs it first).
            _limitedH2c.TryUpdate(destination, NewLimitedConnection(tls), current);
        }
    }

    private StreamLimitedConnection NewLimitedConnection(UpstreamTls? tls) => new(
        new HttpMessageInvoker(CreateHandler(int.MaxValue, 0, tls, http2: true), disposeHandler: true), _maxRequestsPerConnection);

    /// <summary>The pool for a protocol, opened on first use (once; a race builds a spare that is dropped).</summary>
    public HttpMessageInvoker For(UpstreamProtocol protocol, UpstreamClients shared, bool plaintext = false) => (protocol, plaintext) switch
    {
        (UpstreamProtocol.H2c, false) => _h2c ?? Open(ref _h2c, int.MaxValue, 0, shared.Tls, http2: true),
        (UpstreamProtocol.H2c, true) => _plainH2c ?? Open(ref _plainH2c, int.MaxValue, 0, null, http2: true),
        (_, false) => _http1 ?? Open(ref _http1, _maxConnections, _maxRequestsPerConnection, shared.Tls, http2: false),
        (_, true) => _plainHttp1 ?? Open(ref _plainHttp1, _maxConnections, _maxRequestsPerConnection, null, http2: false),
    };

    private HttpMessageInvoker Open(ref HttpMessageInvoker? slot, int maxConnections, int maxRequestsPerConnection, UpstreamTls? tls, bool http2)
    {
        var created = new HttpMessageInvoker(CreateHandler(maxConnections, maxRequestsPerConnection, tls, http2), disposeHandler: true);
        var existing = Interlocked.CompareExchange(ref slot, created, null);
        if (existing is null)
        {
            return created;
        }

        created.Dispose();
        return existing;
    }

    // Pools that a new snapshot no longer uses are not disposed (requests of the old snapshot may still use them);
    // their idle connections close after the idle timeout.
    private SocketsHttpHandler CreateHandler(int maxConnections, int maxRequestsPerConnection, UpstreamTls? tls, bool http2)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = ConnectTimeout,
            PooledConnectionIdleTimeout = IdleTimeout,
            MaxConnectionsPerServer = maxConnections,
            ActivityHeadersPropagator = null,
        };
        if (tls is not null || maxRequestsPerConnection > 0)
        {
            handler.ConnectCallback = new Connector(tls, http2, maxRequestsPerConnection).ConnectAsync;
        }

        return handler;
    }

    /// <summary>Opens a TCP connection, secures it when the next hop wants TLS, and counts its requests when they are
    /// limited on HTTP/1.1 (HTTP/2 connections are counted by <see cref="StreamLimitedConnection"/>).</summary>
    private sealed class Connector(UpstreamTls? tls, bool http2, int maxRequestsPerConnection)
    {
        public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            Stream stream = new NetworkStream(socket, ownsSocket: true);
            try
            {
                if (tls is not null)
                {
                    stream = await tls.SecureAsync(stream, context.DnsEndPoint, http2, cancellationToken).ConfigureAwait(false);
                }
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return maxRequestsPerConnection > 0 && !http2 ? new RequestLimitStream(stream, maxRequestsPerConnection) : stream;
        }
    }
}
