using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Power of two choices (Envoy's LEAST_REQUEST): of two distinct endpoints drawn at random, the one with fewer
/// requests in flight; an ejected one loses to the other.</summary>
internal sealed class LeastRequestLoadBalancer(UpstreamEndpoint[] endpoints, Random random) : ILoadBalancer
{
    public bool TracksInFlight => true;

    public UpstreamEndpoint? Pick()
    {
        switch (endpoints.Length)
        {
            case 0:
                return null;
            case 1:
                return endpoints[0].IsEjected ? null : endpoints[0];
        }

        var first = random.Next(endpoints.Length);
        var second = random.Next(endpoints.Length - 1);
        if (second >= first)
        {
            second++;
        }

        var a = endpoints[first];
        var b = endpoints[second];
        if (a.IsEjected || b.IsEjected)
        {
            return !a.IsEjected ? a : !b.IsEjected ? b : EndpointProbe.FirstAvailable(endpoints, (uint)first);
        }

        return b.InFlight < a.InFlight ? b : a;
    }
}
