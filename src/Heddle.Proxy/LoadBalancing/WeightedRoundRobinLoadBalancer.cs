using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Round robin over endpoints of different weights: a precomputed smooth schedule in which each endpoint
/// appears in proportion to its weight. Starts at a random offset, like <see cref="RoundRobinLoadBalancer"/>.</summary>
internal sealed class WeightedRoundRobinLoadBalancer : ILoadBalancer
{
    private readonly UpstreamEndpoint[] _endpoints;
    private readonly int[] _schedule;
    private int _next;

    public WeightedRoundRobinLoadBalancer(UpstreamEndpoint[] endpoints, Random random)
    {
        _endpoints = endpoints;
        _schedule = EndpointWeights.Schedule(endpoints);
        _next = random.Next(_schedule.Length);
    }

    public UpstreamEndpoint? Pick()
    {
        var turn = (uint)Interlocked.Increment(ref _next) - 1;
        var index = _schedule[(int)(turn % (uint)_schedule.Length)];
        var endpoint = _endpoints[index];
        return endpoint.IsEjected ? EndpointProbe.FirstAvailable(_endpoints, (uint)index) : endpoint;
    }
}
