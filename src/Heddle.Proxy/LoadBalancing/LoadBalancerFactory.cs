using Heddle.Discovery.V1;
using Heddle.Proxy.LoadBalancing.ConsistentHash;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Creates the load balancer a cluster's policy names.</summary>
internal static class LoadBalancerFactory
{
    /// <summary>A consistent hash, when the cluster has one, else its simple policy; with locality priorities, one
    /// of those per priority level under a <see cref="PriorityLoadBalancer"/>.</summary>
    public static ILoadBalancer Create(Cluster cluster, UpstreamEndpoint[] endpoints, Random random)
    {
        if (cluster.LoadBalancer != LoadBalancerPolicy.LoadBalancerPassthrough && Array.Exists(endpoints, e => e.LocalityWeight > 0))
        {
            return CreateDistributed(cluster, endpoints, random);
        }

        var levels = 1;
        foreach (var endpoint in endpoints)
        {
            levels = Math.Max(levels, endpoint.Priority + 1);
        }

        if (levels == 1 || cluster.LoadBalancer == LoadBalancerPolicy.LoadBalancerPassthrough)
        {
            return CreateLevel(cluster, endpoints, random);
        }

        var byLevel = new List<UpstreamEndpoint[]>();
        var balancers = new List<ILoadBalancer>();
        for (var level = 0; level < levels; level++)
        {
            var members = Array.FindAll(endpoints, e => e.Priority == level);
            if (members.Length > 0)
            {
                byLevel.Add(members);
                balancers.Add(CreateLevel(cluster, members, random));
            }
        }

        return new PriorityLoadBalancer([.. byLevel], [.. balancers], random);
    }

    /// <summary>One group per locality with a weight (localityLbSetting.distribute).</summary>
    private static LocalityWeightedLoadBalancer CreateDistributed(Cluster cluster, UpstreamEndpoint[] endpoints, Random random)
    {
        var localities = new List<UpstreamEndpoint[]>();
        var weights = new List<long>();
        var balancers = new List<ILoadBalancer>();
        foreach (var locality in endpoints.Where(e => e.LocalityWeight > 0).Select(e => e.Locality).Distinct(StringComparer.Ordinal))
        {
            var members = Array.FindAll(endpoints, e => e.LocalityWeight > 0 && e.Locality == locality);
            localities.Add(members);
            weights.Add(members[0].LocalityWeight);
            balancers.Add(CreateLevel(cluster, members, random));
        }

        return new LocalityWeightedLoadBalancer([.. localities], [.. weights], [.. balancers], random);
    }

    private static ILoadBalancer CreateLevel(Cluster cluster, UpstreamEndpoint[] endpoints, Random random) =>
        cluster.ConsistentHash is { } hash && cluster.LoadBalancer != LoadBalancerPolicy.LoadBalancerPassthrough
            ? new ConsistentHashLoadBalancer(hash, endpoints, random)
            : Create(cluster.LoadBalancer, endpoints, random);

    /// <summary>The simple policy; its weighted form when the endpoints' weights differ.</summary>
    public static ILoadBalancer Create(LoadBalancerPolicy policy, UpstreamEndpoint[] endpoints, Random random)
    {
        if (endpoints.Length > 1 && policy != LoadBalancerPolicy.LoadBalancerPassthrough && !EndpointWeights.AllEqual(endpoints))
        {
            return policy switch
            {
                LoadBalancerPolicy.LoadBalancerRandom => new WeightedRandomLoadBalancer(endpoints, random),
                LoadBalancerPolicy.LoadBalancerLeastRequest => new WeightedLeastRequestLoadBalancer(endpoints, random),
                _ => new WeightedRoundRobinLoadBalancer(endpoints, random),
            };
        }

        return policy switch
        {
            LoadBalancerPolicy.LoadBalancerRandom => new RandomLoadBalancer(endpoints, random),
            LoadBalancerPolicy.LoadBalancerLeastRequest => new LeastRequestLoadBalancer(endpoints, random),
            // Passthrough clusters send to the requested host; their endpoint list is only informational.
            _ => new RoundRobinLoadBalancer(endpoints, random),
        };
    }
}
