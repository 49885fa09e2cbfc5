namespace Heddle.Config.Model;

/// <summary>Traffic policy overrides for one destination port.</summary>
public sealed record PortTrafficPolicy
{
    /// <summary>The port the overrides apply to.</summary>
    public PortSelector? Port { get; init; }

    /// <summary>Load balancing.</summary>
    public LoadBalancerSettings? LoadBalancer { get; init; }

    /// <summary>Connection limits and timeouts.</summary>
    public ConnectionPoolSettings? ConnectionPool { get; init; }

    /// <summary>Ejection of failing endpoints.</summary>
    public OutlierDetection? OutlierDetection { get; init; }

    /// <summary>TLS towards the destination.</summary>
    public ClientTlsSettings? Tls { get; init; }
}
