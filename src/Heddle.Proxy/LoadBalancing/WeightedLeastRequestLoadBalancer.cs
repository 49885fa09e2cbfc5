using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>
/// Power of two choices over endpoints of different weights: both candidates are drawn in proportion to their weight
/// and the one with fewer requests in flight wins, the first on a tie. At equal load traffic follows the weights
/// exactly; under load the busier candidate gives way.
/// </summary>
internal sealed class WeightedLeastRequestLoadBalancer(UpstreamEndpoint[] endpoints, Random random) : ILoadBalancer
{
    private readonly long[] _cumulative = EndpointWeights.Cumulative(endpoints);

    public bool TracksInFlight => true;

    public UpstreamEndpoint? Pick()
    {
        var total = _cumulative[^1];
        var first = EndpointWeights.Find(_cumulative, random.NextInt64(total));
        var second = EndpointWeights.Find(_cumulative, random.NextInt64(total));
        var a = endpoints[first];
        var b = endpoints[second];
        if (a.IsEjected || b.IsEjected)
        {
            return !a.IsEjected ? a : !b.IsEjected ? b : EndpointProbe.FirstAvailable(endpoints, (uint)first);
        }

        return b.InFlight < a.InFlight ? b : a;
    }
}
