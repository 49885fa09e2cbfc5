namespace Heddle.Config.Model;

/// <summary>Load balancing, connection pool, outlier detection and TLS settings for a destination.</summary>
public sealed record TrafficPolicy
{
    /// <summary>Load balancing.</summary>
    public LoadBalancerSettings? LoadBalancer { get; init; }

    /// <summary>Connection limits and timeouts.</summary>
    public ConnectionPoolSettings? ConnectionPool { get; init; }

    /// <summary>Ejection of failing endpoints.</summary>
    public OutlierDetection? OutlierDetection { get; init; }

    /// <summary>TLS towards the destination.</summary>
    public ClientTlsSettings? Tls { get; init; }

    /// <summary>Overrides per destination port.</summary>
    public ImmutableArray<PortTrafficPolicy> PortLevelSettings { get; init; } = [];

    /// <summary>Tunnel traffic through a CONNECT proxy.</summary>
    public TunnelSettings? Tunnel { get; init; }

    /// <summary>Send a PROXY protocol header upstream.</summary>
    public ProxyProtocol? ProxyProtocol { get; init; }

    /// <summary>Limits retries to a share of active requests.</summary>
    public RetryBudget? RetryBudget { get; init; }
}
