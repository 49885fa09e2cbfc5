namespace Heddle.Config.Model;

/// <summary>Zone-aware routing settings.</summary>
public sealed record ZoneAwareLoadBalancerSetting
{
    /// <summary>Turns zone-aware routing on or off.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Failover paths between zones.</summary>
    public ImmutableArray<LocalityFailover> Failover { get; init; } = [];

    /// <summary>Ordered label keys that rank endpoints for failover.</summary>
    public ImmutableArray<string> FailoverPriority { get; init; } = [];

    /// <summary>Below this many endpoints zone awareness is off.</summary>
    public long? MinClusterSize { get; init; }
}
