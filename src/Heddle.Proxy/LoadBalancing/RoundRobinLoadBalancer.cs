using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Takes the endpoints in turn. Starts at a random offset so that many proxies do not all hit the first endpoint first.</summary>
internal sealed class RoundRobinLoadBalancer : ILoadBalancer
{
    private readonly UpstreamEndpoint[] _endpoints;
    private int _next;

    public RoundRobinLoadBalancer(UpstreamEndpoint[] endpoints, Random random)
    {
        _endpoints = endpoints;
        _next = endpoints.Length == 0 ? 0 : random.Next(endpoints.Length);
    }

    public UpstreamEndpoint? Pick()
    {
        var endpoints = _endpoints;
        if (endpoints.Length == 0)
        {
            return null;
        }

        var turn = (uint)Interlocked.Increment(ref _next) - 1;
        var endpoint = endpoints[(int)(turn % (uint)endpoints.Length)];
        return endpoint.IsEjected ? EndpointProbe.FirstAvailable(endpoints, turn) : endpoint;
    }
}
