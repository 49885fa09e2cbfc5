using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Picks the endpoint of one cluster that the next request goes to. One instance per cluster, shared by all requests.</summary>
internal interface ILoadBalancer
{
    /// <summary>The chosen endpoint, or null when the cluster has no endpoint.</summary>
    UpstreamEndpoint? Pick();

    /// <summary>Whether the forwarder must report requests in flight per endpoint to this policy.</summary>
    bool TracksInFlight => false;
}
