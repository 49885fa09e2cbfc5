using Heddle.Config;
using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The clusters of one service port: the default cluster with every endpoint, and one cluster per subset of
/// the DestinationRule that applies, with the endpoints whose labels match the subset's, each carrying its merged
/// traffic policy (<see cref="EffectivePolicy"/>).</summary>
internal static class ClusterBuilder
{
    public static IEnumerable<Cluster> For(MeshService service, MeshServicePort port, DestinationRule? rule, ProxyContext proxy, bool meshH2Upgrade = false)
    {
        var policy = rule?.Spec.TrafficPolicy;
        yield return WithTls(Create(service, port, subset: null, port.Endpoints, EffectivePolicy.For(policy, null, port.Number), proxy, meshH2Upgrade), service, port, policy, null);
        if (rule is null)
        {
            yield break;
        }

        foreach (var subset in rule.Spec.Subsets)
        {
            var endpoints = ImmutableArray.CreateBuilder<Endpoint>();
            foreach (var endpoint in port.Endpoints)
            {
                if (LabelSelectors.Matches(subset.Labels, endpoint.Labels))
                {
                    endpoints.Add(endpoint);
                }
            }

            yield return WithTls(Create(service, port, subset.Name, endpoints.ToImmutable(), EffectivePolicy.For(policy, subset.TrafficPolicy, port.Number), proxy, meshH2Upgrade), service, port, policy, subset.TrafficPolicy);
        }
    }

    /// <summary>A cluster that a route names but no service defines: it exists (every route's clusters do) and has no
    /// endpoints, so the proxy answers "no healthy upstream" instead of failing to find it.</summary>
    public static Cluster Empty(string host, int port, string? subset, Protocol protocol) => new()
    {
        Name = ClusterNames.Outbound(port, subset, host),
        Service = host,
        Port = (uint)port,
        Subset = subset ?? "",
        Protocol = protocol,
    };

    private static Cluster Create(MeshService service, MeshServicePort port, string? subset, ImmutableArray<Endpoint> endpoints, EffectivePolicy policy, ProxyContext proxy, bool meshH2Upgrade)
    {
        var cluster = Empty(service.Hostname, port.Number, subset, port.Protocol);
        cluster.LoadBalancer = LoadBalancer(service, policy);
        cluster.ServiceName = service.KubernetesName ?? service.Hostname;
        cluster.ServiceNamespace = service.Namespace;
        if (cluster.LoadBalancer != LoadBalancerPolicy.LoadBalancerPassthrough)
        {
            ClusterPolicies.Apply(cluster, policy, meshH2Upgrade);
            endpoints = LocalityPriorities.Apply(endpoints, policy, proxy);
        }

        cluster.Endpoints.Add(endpoints);

        return cluster;
    }

    /// <summary>The merged policy's simple load balancer, else the service's default. A passthrough service stays
    /// passthrough.</summary>
    private static LoadBalancerPolicy LoadBalancer(MeshService service, EffectivePolicy policy) =>
        service.DefaultLoadBalancer == LoadBalancerPolicy.LoadBalancerPassthrough
            ? service.DefaultLoadBalancer
            : Map(policy.LoadBalancer?.Simple) ?? service.DefaultLoadBalancer;

    private static Cluster WithTls(Cluster cluster, MeshService service, MeshServicePort port, TrafficPolicy? rulePolicy, TrafficPolicy? subsetPolicy)
    {
        cluster.Tls = ClusterTls.For(service, port.Number, rulePolicy, subsetPolicy);
        return cluster;
    }

    private static LoadBalancerPolicy? Map(SimpleLoadBalancer? simple) => simple switch
    {
        SimpleLoadBalancer.RoundRobin => LoadBalancerPolicy.LoadBalancerRoundRobin,
        SimpleLoadBalancer.LeastConn or SimpleLoadBalancer.LeastRequest => LoadBalancerPolicy.LoadBalancerLeastRequest,
        SimpleLoadBalancer.Random => LoadBalancerPolicy.LoadBalancerRandom,
        SimpleLoadBalancer.Passthrough => LoadBalancerPolicy.LoadBalancerPassthrough,
        _ => null,
    };
}
