using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>
/// Locality failover (Envoy's priority levels): endpoints are grouped by the priority the control plane gave them for
/// this proxy, each level with its own load balancer of the cluster's policy. Level 0 takes all traffic while healthy;
/// as its endpoints are ejected, traffic spills to the next levels in proportion to their health, with Envoy's
/// overprovisioning factor of 1.4 (a level at 72% health or more still takes everything).
/// </summary>
internal sealed class PriorityLoadBalancer : ILoadBalancer
{
    /// <summary>Envoy's default overprovisioning factor, in percent.</summary>
    private const int Overprovisioning = 140;

    private readonly UpstreamEndpoint[][] _levels;
    private readonly ILoadBalancer[] _balancers;
    private readonly Random _random;

    public PriorityLoadBalancer(UpstreamEndpoint[][] levels, ILoadBalancer[] balancers, Random random)
    {
        _levels = levels;
        _balancers = balancers;
        _random = random;
        TracksInFlight = Array.Exists(balancers, b => b.TracksInFlight);
    }

    public bool TracksInFlight { get; }

    public int Levels => _levels.Length;

    public UpstreamEndpoint? Pick() => _balancers[ChooseLevel()].Pick() ?? Fallback(null);

    public UpstreamEndpoint? Pick(HttpContext context) => _balancers[ChooseLevel()].Pick(context) ?? Fallback(context);

    /// <summary>The level for the next request: a draw over the levels' loads (see the class summary).</summary>
    public int ChooseLevel()
    {
        if (_levels.Length == 1)
        {
            return 0;
        }

        Span<int> health = _levels.Length <= 32 ? stackalloc int[_levels.Length] : new int[_levels.Length];
        var total = 0;
        for (var level = 0; level < _levels.Length; level++)
        {
            var endpoints = _levels[level];
            var healthy = 0;
            foreach (var endpoint in endpoints)
            {
                if (!endpoint.IsEjected)
                {
                    healthy++;
                }
            }

            health[level] = Math.Min(100, healthy * Overprovisioning / endpoints.Length);
            total += health[level];
        }

        if (total == 0)
        {
            return 0;
        }

        // Loads are the levels' health normalised to 100%, taken in order until 100% is given out.
        var draw = _random.Next(100);
        var remaining = 100;
        var cumulative = 0;
        for (var level = 0; level < _levels.Length; level++)
        {
            var load = Math.Min(remaining, total >= 100 ? health[level] : ((health[level] * 100) + total - 1) / total);
            cumulative += load;
            remaining -= load;
            if (draw < cumulative)
            {
                return level;
            }
        }

        return 0;
    }

    /// <summary>The chosen level had nothing to offer: the first level that has.</summary>
    private UpstreamEndpoint? Fallback(HttpContext? context)
    {
        foreach (var balancer in _balancers)
        {
            if ((context is null ? balancer.Pick() : balancer.Pick(context)) is { } endpoint)
            {
                return endpoint;
            }
        }

        return null;
    }
}
