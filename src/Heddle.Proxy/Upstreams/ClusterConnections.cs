using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Forwarding;

namespace Heddle.Proxy.Upstreams;

/// <summary>
/// A cluster's own connection pools, for a DestinationRule whose connectionPool sets a connect timeout, an idle
/// timeout or maxConnections: the shared <see cref="UpstreamClients"/> cannot carry settings per cluster. Created
/// when the snapshot is applied and kept by the next snapshot while the settings stay the same.
/// </summary>
internal sealed class ClusterConnections
{
    /// <summary>Istio's default connect timeout.</summary>
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The shared clients' idle timeout.</summary>
    private static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(90);

    private readonly HttpMessageInvoker _http1;
    private readonly HttpMessageInvoker _h2c;

    private ClusterConnections(ConnectionPoolLimits limits)
    {
        Limits = limits;
        ConnectTimeout = limits.ConnectTimeoutMs > 0 ? TimeSpan.FromMilliseconds(limits.ConnectTimeoutMs) : DefaultConnectTimeout;
        IdleTimeout = limits.IdleTimeoutMs > 0 ? TimeSpan.FromMilliseconds(limits.IdleTimeoutMs) : DefaultIdleTimeout;
        var maxConnections = limits.MaxConnections is > 0 and <= int.MaxValue ? (int)limits.MaxConnections : int.MaxValue;
        _http1 = new HttpMessageInvoker(CreateHandler(maxConnections), disposeHandler: true);
        _h2c = new HttpMessageInvoker(CreateHandler(int.MaxValue), disposeHandler: true);
    }

    public ConnectionPoolLimits Limits { get; }

    public TimeSpan ConnectTimeout { get; }

    public TimeSpan IdleTimeout { get; }

    /// <summary>Own pools when <paramref name="limits"/> set anything the shared pools cannot honour; the ones of
    /// <paramref name="before"/> when they were made for the same settings.</summary>
    public static ClusterConnections? For(ConnectionPoolLimits? limits, ClusterConnections? before)
    {
        if (limits is null || (limits.ConnectTimeoutMs == 0 && limits.IdleTimeoutMs == 0 && limits.MaxConnections == 0))
        {
            return null;
        }

        return before is not null
            && before.Limits.ConnectTimeoutMs == limits.ConnectTimeoutMs
            && before.Limits.IdleTimeoutMs == limits.IdleTimeoutMs
            && before.Limits.MaxConnections == limits.MaxConnections
                ? before
                : new ClusterConnections(limits);
    }

    public HttpMessageInvoker For(UpstreamProtocol protocol) => protocol == UpstreamProtocol.H2c ? _h2c : _http1;

    // Pools that a new snapshot no longer uses are not disposed (requests of the old snapshot may still use them);
    // their idle connections close after the idle timeout.
    private SocketsHttpHandler CreateHandler(int maxConnections) => new()
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
}
