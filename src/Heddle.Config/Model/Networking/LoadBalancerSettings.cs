using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>How requests are spread over endpoints.</summary>
public sealed record LoadBalancerSettings
{
    /// <summary>A standard algorithm.</summary>
    [OneOf("lbPolicy")]
    public SimpleLoadBalancer? Simple { get; init; }

    /// <summary>Hash-based affinity.</summary>
    [OneOf("lbPolicy")]
    public ConsistentHashLB? ConsistentHash { get; init; }

    /// <summary>Locality-weighted distribution and failover.</summary>
    public LocalityLoadBalancerSetting? LocalityLbSetting { get; init; }

    /// <summary>Zone-aware routing.</summary>
    public ZoneAwareLoadBalancerSetting? ZoneAwareLbSetting { get; init; }

    /// <summary>Slow-start window for new endpoints (despite the name, a duration such as "60s").</summary>
    [OneOf("warmup")]
    public TimeSpan? WarmupDurationSecs { get; init; }

    /// <summary>Slow-start settings for new endpoints.</summary>
    [OneOf("warmup")]
    public WarmupConfiguration? Warmup { get; init; }
}
