using System.Net;
using Heddle.Proxy.Upstreams;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// The proxy's two long-lived HTTP clients, one per upstream protocol, with pooled connections shared by all
/// requests: HTTP/1.1, and h2c with several multiplexed connections per destination when one is full.
/// </summary>
internal sealed class UpstreamClients : IDisposable
{
    private readonly ForwarderRequestConfig _http1Config;
    private readonly ForwarderRequestConfig _h2cConfig;

    /// <param name="connectTimeout">How long opening a connection may take (UF after that).</param>
    /// <param name="activityTimeout">How long a request may move no bytes before it is abandoned (UT), like Envoy's stream idle timeout.</param>
    public UpstreamClients(TimeSpan connectTimeout, TimeSpan activityTimeout)
    {
        Http1 = new HttpMessageInvoker(CreateHandler(connectTimeout), disposeHandler: true);
        H2c = new HttpMessageInvoker(CreateHandler(connectTimeout), disposeHandler: true);
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

    public HttpMessageInvoker Http1 { get; }

    public HttpMessageInvoker H2c { get; }

    public HttpMessageInvoker For(UpstreamProtocol protocol) => protocol == UpstreamProtocol.H2c ? H2c : Http1;

    public ForwarderRequestConfig ConfigFor(UpstreamProtocol protocol) => protocol == UpstreamProtocol.H2c ? _h2cConfig : _http1Config;

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

    public void Dispose()
    {
        Http1.Dispose();
        H2c.Dispose();
    }
}
