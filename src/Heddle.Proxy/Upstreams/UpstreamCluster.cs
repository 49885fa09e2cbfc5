using Heddle.Discovery.V1;
using Heddle.Proxy.LoadBalancing;

namespace Heddle.Proxy.Upstreams;

/// <summary>A cluster as the request path sees it: its endpoints and the load balancer that picks among them.</summary>
internal sealed class UpstreamCluster
{
    public UpstreamCluster(Cluster source, UpstreamEndpoint[] endpoints, ILoadBalancer loadBalancer)
    {
        Source = source;
        Name = source.Name;
        Endpoints = endpoints;
        LoadBalancer = loadBalancer;
        IsPassthrough = source.LoadBalancer == LoadBalancerPolicy.LoadBalancerPassthrough;
    }

    /// <summary>The cluster as the control plane sent it.</summary>
    public Cluster Source { get; }

    public string Name { get; }

    public UpstreamEndpoint[] Endpoints { get; }

    public ILoadBalancer LoadBalancer { get; }

    /// <summary>Requests go to the host and port they name rather than to a listed endpoint.</summary>
    public bool IsPassthrough { get; }
}
