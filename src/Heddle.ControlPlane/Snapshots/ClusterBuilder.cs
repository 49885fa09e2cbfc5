using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The clusters of one service port: the default cluster with every endpoint, and one cluster per subset of
/// the DestinationRule that applies, with the endpoints whose labels match the subset's.</summary>
internal static class ClusterBuilder
{
    public static IEnumerable<Cluster> For(MeshService service, MeshServicePort port, DestinationRule? rule)
    {
        var policy = rule?.Spec.TrafficPolicy;
        yield return WithTls(Create(service, port, subset: null, port.Endpoints, LoadBalancer(service, port, policy, null)), service, port, policy, null);
        if (rule is null)
        {
            yield break;
        }

        foreach (var subset in rule.Spec.Subsets)
        {
            var endpoints = ImmutableArray.CreateBuilder<Endpoint>();
            foreach (var endpoint in port.Endpoints)
            {
                if (Labels.Match(subset.Labels, endpoint.Labels))
                {
                    endpoints.Add(endpoint);
                }
            }

            yield return WithTls(Create(service, port, subset.Name, endpoints.ToImmutable(), LoadBalancer(service, port, policy, subset.TrafficPolicy)), service, port, policy, subset.TrafficPolicy);
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

    private static Cluster Create(MeshService service, MeshServicePort port, string? subset, ImmutableArray<Endpoint> endpoints, LoadBalancerPolicy loadBalancer)
    {
        var cluster = Empty(service.Hostname, port.Number, subset, port.Protocol);
        cluster.LoadBalancer = loadBalancer;
        cluster.Endpoints.Add(endpoints);
        return cluster;
    }

    private static Cluster WithTls(Cluster cluster, MeshService service, MeshServicePort port, TrafficPolicy? rulePolicy, TrafficPolicy? subsetPolicy)
    {
        cluster.Tls = ClusterTls.For(service, port.Number, rulePolicy, subsetPolicy);
        return cluster;
    }

    /// <summary>The most specific load balancer setting: the subset's port-level, the subset's, the rule's port-level,
    /// the rule's, then the service's default. A passthrough service stays passthrough.</summary>
    private static LoadBalancerPolicy LoadBalancer(MeshService service, MeshServicePort port, TrafficPolicy? rulePolicy, TrafficPolicy? subsetPolicy)
    {
        if (service.DefaultLoadBalancer == LoadBalancerPolicy.LoadBalancerPassthrough)
        {
            return service.DefaultLoadBalancer;
        }

        return Map(Simple(subsetPolicy, port.Number) ?? Simple(rulePolicy, port.Number)) ?? service.DefaultLoadBalancer;
    }

    private static SimpleLoadBalancer? Simple(TrafficPolicy? policy, int port)
    {
        if (policy is null)
        {
            return null;
        }

        foreach (var portPolicy in policy.PortLevelSettings)
        {
            if (portPolicy.Port?.Number == port && portPolicy.LoadBalancer?.Simple is { } portSimple)
            {
                return portSimple;
            }
        }

        return policy.LoadBalancer?.Simple;
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
