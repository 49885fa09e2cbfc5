using Heddle.Discovery.V1;
using Heddle.Proxy.LoadBalancing.ConsistentHash;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Creates the load balancer a cluster's policy names.</summary>
internal static class LoadBalancerFactory
{
    /// <summary>A consistent hash, when the cluster has one, else its simple policy.</summary>
    public static ILoadBalancer Create(Cluster cluster, UpstreamEndpoint[] endpoints, Random random) =>
        cluster.ConsistentHash is { } hash && cluster.LoadBalancer != LoadBalancerPolicy.LoadBalancerPassthrough
            ? new ConsistentHashLoadBalancer(hash, endpoints, random)
            : Create(cluster.LoadBalancer, endpoints, random);

    public static ILoadBalancer Create(LoadBalancerPolicy policy, UpstreamEndpoint[] endpoints, Random random) => policy switch
    {
        LoadBalancerPolicy.LoadBalancerRandom => new RandomLoadBalancer(endpoints, random),
        LoadBalancerPolicy.LoadBalancerLeastRequest => new LeastRequestLoadBalancer(endpoints, random),
        // Passthrough clusters send to the requested host; their endpoint list is only informational.
        _ => new RoundRobinLoadBalancer(endpoints, random),
    };
}
