using Heddle.Discovery.V1;
using Heddle.Proxy.Authentication;
using Heddle.Proxy.Authorization;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Discovery;

/// <summary>
/// One consistent, immutable configuration of the proxy: the resources as received and what the request path
/// compiled from them. Swapped in with one reference assignment; a request keeps the snapshot it started with.
/// </summary>
internal sealed class ProxySnapshot
{
    public ProxySnapshot(
        string version,
        IReadOnlyDictionary<string, Resource> resources,
        RouteTable routes,
        IReadOnlyDictionary<string, UpstreamCluster> clusters,
        InboundTable inbound,
        ProxySettings.Types.OutboundTrafficPolicy outboundTrafficPolicy)
    {
        Version = version;
        Resources = resources;
        Routes = routes;
        Clusters = clusters;
        Inbound = inbound;
        OutboundTrafficPolicy = outboundTrafficPolicy;
    }

    /// <summary>The configuration before the control plane sent any: no routes, nothing inbound.</summary>
    public static ProxySnapshot Empty { get; } = new(
        "",
        new Dictionary<string, Resource>(),
        RouteTable.Empty,
        new Dictionary<string, UpstreamCluster>(),
        InboundTable.Empty,
        ProxySettings.Types.OutboundTrafficPolicy.AllowAny);

    /// <summary>The control plane's version of this configuration ("" before the first one).</summary>
    public string Version { get; }

    /// <summary>The resources by name, exactly as received (the base for the next delta).</summary>
    public IReadOnlyDictionary<string, Resource> Resources { get; }

    public RouteTable Routes { get; }

    public IReadOnlyDictionary<string, UpstreamCluster> Clusters { get; }

    public InboundTable Inbound { get; }

    public ProxySettings.Types.OutboundTrafficPolicy OutboundTrafficPolicy { get; }

    /// <summary>The AuthorizationPolicies of this workload, checked on the inbound side.</summary>
    public AuthorizationEngine Authorization { get; init; } = AuthorizationEngine.AllowAll;

    /// <summary>The RequestAuthentications of this workload, checked on the inbound side before authorization.</summary>
    public JwtAuthenticator Jwt { get; init; } = JwtAuthenticator.None;
}
