using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>
/// localityLbSetting.distribute: a locality is drawn by its weight (scaled by its health with Envoy's overprovisioning
/// factor 1.4, so a locality that loses endpoints sheds its share to the others), then the cluster's load balancer
/// picks inside it. Localities without weight get no traffic.
/// </summary>
internal sealed class LocalityWeightedLoadBalancer : ILoadBalancer
{
    private const int Overprovisioning = 140;

    private readonly UpstreamEndpoint[][] _localities;
    private readonly long[] _weights;
    private readonly ILoadBalancer[] _balancers;
    private readonly Random _random;

    public LocalityWeightedLoadBalancer(UpstreamEndpoint[][] localities, long[] weights, ILoadBalancer[] balancers, Random random)
    {
        _localities = localities;
        _weights = weights;
        _balancers = balancers;
        _random = random;
        TracksInFlight = Array.Exists(balancers, b => b.TracksInFlight);
    }

    public bool TracksInFlight { get; }

    public UpstreamEndpoint? Pick() => ChooseLocality() is var index and >= 0 ? _balancers[index].Pick() : null;

    public UpstreamEndpoint? Pick(HttpContext context) => ChooseLocality() is var index and >= 0 ? _balancers[index].Pick(context) : null;

    /// <summary>The locality for the next request, or -1 when none has a healthy endpoint.</summary>
    public int ChooseLocality()
    {
        Span<long> effective = _localities.Length <= 32 ? stackalloc long[_localities.Length] : new long[_localities.Length];
        long total = 0;
        for (var i = 0; i < _localities.Length; i++)
        {
            var healthy = 0;
            foreach (var endpoint in _localities[i])
            {
                if (!endpoint.IsEjected)
                {
                    healthy++;
                }
            }

            effective[i] = _weights[i] * Math.Min(100, healthy * Overprovisioning / _localities[i].Length);
            total += effective[i];
        }

        if (total == 0)
        {
            return -1;
        }

        var draw = _random.NextInt64(total);
        for (var i = 0; i < effective.Length; i++)
        {
            draw -= effective[i];
            if (draw < 0)
            {
                return i;
            }
        }

        return effective.Length - 1;
    }
}
