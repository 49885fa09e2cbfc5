using System.Net;
using System.Net.Sockets;
using Heddle.Proxy.Security;
using Heddle.Proxy.Upstreams;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// The proxy's two long-lived HTTP clients, one per upstream protocol, with pooled connections shared by all
/// requests: HTTP/1.1, and h2c with several multiplexed connections per destination when one is full. A new
/// connection is wrapped in TLS when <see cref="UpstreamTls"/> says its next hop wants it (mutual TLS between
/// sidecars, a DestinationRule's tls); HTTP then runs over the TLS stream, pooled like any other connection.
/// </summary>
internal sealed class UpstreamClients : IDisposable
{
    private readonly ForwarderRequestConfig _http1Config;
    private readonly ForwarderRequestConfig _h2cConfig;

    /// <param name="connectTimeout">How long opening a connection may take (UF after that).</param>
    /// <param name="activityTimeout">How long a request may move no bytes before it is abandoned (UT), like Envoy's stream idle timeout.</param>
    /// <param name="tls">Decides TLS per next hop (none: every connection is plaintext).</param>
    public UpstreamClients(TimeSpan connectTimeout, TimeSpan activityTimeout, UpstreamTls? tls = null)
    {
        Tls = tls;
        Http1 = new HttpMessageInvoker(CreateHandler(connectTimeout, tls, http2: false), disposeHandler: true);
        H2c = new HttpMessageInvoker(CreateHandler(connectTimeout, tls, http2: true), disposeHandler: true);
        PlainHttp1 = tls is null ? Http1 : new HttpMessageInvoker(CreateHandler(connectTimeout), disposeHandler: true);
        PlainH2c = tls is null ? H2c : new HttpMessageInvoker(CreateHandler(connectTimeout), disposeHandler: true);
        _http1Config = new ForwarderRequestConfig
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            ActivityTimeout = activityTimeout,
        };
        _h2cConfig = new ForwarderRequestConfig
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            ActivityTimeout = activityTimeout,
        };
    }

    /// <summary>Decides TLS per next hop; a cluster's own pools (<see cref="ClusterConnections"/>) use it too.</summary>
    public UpstreamTls? Tls { get; }

    public HttpMessageInvoker Http1 { get; }

    public HttpMessageInvoker H2c { get; }

    /// <summary>Never TLS: for endpoints whose port refuses it (<see cref="UpstreamEndpoint.Plaintext"/>).</summary>
    public HttpMessageInvoker PlainHttp1 { get; }

    public HttpMessageInvoker PlainH2c { get; }

    public HttpMessageInvoker For(UpstreamProtocol protocol) => protocol == UpstreamProtocol.H2c ? H2c : Http1;

    public HttpMessageInvoker For(UpstreamProtocol protocol, bool plaintext) => plaintext
        ? protocol == UpstreamProtocol.H2c ? PlainH2c : PlainHttp1
        : For(protocol);

    public ForwarderRequestConfig ConfigFor(UpstreamProtocol protocol) => protocol == UpstreamProtocol.H2c ? _h2cConfig : _http1Config;

    private static SocketsHttpHandler CreateHandler(TimeSpan connectTimeout, UpstreamTls? tls, bool http2)
    {
        var handler = CreateHandler(connectTimeout);
        if (tls is not null)
        {
            var connector = new Connector(tls, http2);
            handler.ConnectCallback = connector.ConnectAsync;
        }

        return handler;
    }

    private static SocketsHttpHandler CreateHandler(TimeSpan connectTimeout) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = connectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        // The proxy forwards trace headers as it receives them; it does not start spans of its own.
        ActivityHeadersPropagator = null,
    };

    /// <summary>Opens a TCP connection as SocketsHttpHandler would, then lets <see cref="UpstreamTls"/> secure it.</summary>
    private sealed class Connector(UpstreamTls tls, bool http2)
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

            var stream = new NetworkStream(socket, ownsSocket: true);
            try
            {
                return await tls.SecureAsync(stream, context.DnsEndPoint, http2, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    public void Dispose()
    {
        Http1.Dispose();
        H2c.Dispose();
        if (Tls is not null)
        {
            PlainHttp1.Dispose();
            PlainH2c.Dispose();
        }
    }
}
