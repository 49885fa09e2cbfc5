namespace Heddle.Config.Model;

/// <summary>Where a sidecar sends a request for a host that no Service or ServiceEntry defines.</summary>
public enum OutboundTrafficPolicyMode
{
    /// <summary>Straight to the host the client named (Istio's PassthroughCluster).</summary>
    AllowAny,

    /// <summary>Nowhere: answered 502 with response flag NR (Istio's BlackHoleCluster).</summary>
    RegistryOnly,
}
