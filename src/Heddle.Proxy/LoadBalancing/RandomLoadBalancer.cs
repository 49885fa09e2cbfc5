using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Picks an endpoint uniformly at random (among those not ejected).</summary>
internal sealed class RandomLoadBalancer(UpstreamEndpoint[] endpoints, Random random) : ILoadBalancer
{
    public UpstreamEndpoint? Pick() => endpoints.Length switch
    {
        0 => null,
        1 => endpoints[0].IsEjected ? null : endpoints[0],
        _ => endpoints[random.Next(endpoints.Length)] is { IsEjected: false } endpoint
            ? endpoint
            : EndpointProbe.FirstAvailable(endpoints, (uint)random.Next(endpoints.Length)),
    };
}
