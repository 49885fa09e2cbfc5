namespace Heddle.Config.Model;

/// <summary>Locality-aware weights and failover (region/zone/subzone).</summary>
public sealed record LocalityLoadBalancerSetting
{
    /// <summary>Explicit traffic shares from a locality to others.</summary>
    public ImmutableArray<LocalityDistribute> Distribute { get; init; } = [];

    /// <summary>Where traffic from a region goes when its endpoints are unhealthy.</summary>
    public ImmutableArray<LocalityFailover> Failover { get; init; } = [];

    /// <summary>Ordered label keys that rank endpoints for failover.</summary>
    public ImmutableArray<string> FailoverPriority { get; init; } = [];

    /// <summary>Turns locality load balancing on or off.</summary>
    public bool? Enabled { get; init; }
}
