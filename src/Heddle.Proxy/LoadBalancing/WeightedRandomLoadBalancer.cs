using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Picks an endpoint at random in proportion to its weight (among those not ejected).</summary>
internal sealed class WeightedRandomLoadBalancer(UpstreamEndpoint[] endpoints, Random random) : ILoadBalancer
{
    private readonly long[] _cumulative = EndpointWeights.Cumulative(endpoints);

    public UpstreamEndpoint? Pick()
    {
        var index = EndpointWeights.Find(_cumulative, random.NextInt64(_cumulative[^1]));
        return endpoints[index] is { IsEjected: false } endpoint ? endpoint : EndpointProbe.FirstAvailable(endpoints, (uint)index);
    }
}
