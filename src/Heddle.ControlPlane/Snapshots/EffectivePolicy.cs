using Heddle.Config.Model;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The traffic policy that applies to one cluster (service port and subset), merged as Istio merges it:
/// the rule's port-level settings replace the rule's; a subset's fields replace the result one by one; the subset's
/// port-level settings replace all of them. Port-level settings do not inherit: a field they leave out is the default.</summary>
internal sealed record EffectivePolicy(LoadBalancerSettings? LoadBalancer, ConnectionPoolSettings? ConnectionPool, OutlierDetection? OutlierDetection)
{
    public static EffectivePolicy None { get; } = new(null, null, null);

    public static EffectivePolicy For(TrafficPolicy? rulePolicy, TrafficPolicy? subsetPolicy, int port)
    {
        var merged = AtPort(rulePolicy, port);
        if (subsetPolicy is null)
        {
            return merged;
        }

        merged = new EffectivePolicy(
            subsetPolicy.LoadBalancer ?? merged.LoadBalancer,
            subsetPolicy.ConnectionPool ?? merged.ConnectionPool,
            subsetPolicy.OutlierDetection ?? merged.OutlierDetection);
        return PortSettings(subsetPolicy, port) is { } portLevel ? FromPort(portLevel) : merged;
    }

    private static EffectivePolicy AtPort(TrafficPolicy? policy, int port)
    {
        if (policy is null)
        {
            return None;
        }

        return PortSettings(policy, port) is { } portLevel
            ? FromPort(portLevel)
            : new EffectivePolicy(policy.LoadBalancer, policy.ConnectionPool, policy.OutlierDetection);
    }

    private static EffectivePolicy FromPort(PortTrafficPolicy portLevel) =>
        new(portLevel.LoadBalancer, portLevel.ConnectionPool, portLevel.OutlierDetection);

    private static PortTrafficPolicy? PortSettings(TrafficPolicy policy, int port)
    {
        foreach (var portLevel in policy.PortLevelSettings)
        {
            if (portLevel.Port?.Number == port)
            {
                return portLevel;
            }
        }

        return null;
    }
}
