using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Picks the endpoint of one cluster that the next request goes to. One instance per cluster, shared by all
/// requests. Endpoints ejected by outlier detection are skipped.</summary>
internal interface ILoadBalancer
{
    /// <summary>The chosen endpoint, or null when the cluster has no endpoint that is not ejected.</summary>
    UpstreamEndpoint? Pick();

    /// <summary>The endpoint for this request; policies that hash a request property read it from the context.</summary>
    UpstreamEndpoint? Pick(HttpContext context) => Pick();

    /// <summary>Whether the forwarder must report requests in flight per endpoint to this policy.</summary>
    bool TracksInFlight => false;
}
