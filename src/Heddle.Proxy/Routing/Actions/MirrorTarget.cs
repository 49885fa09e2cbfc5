using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Routing.Actions;

/// <summary>One mirror of a route: the cluster that receives copies and the share of requests copied (in millionths).</summary>
internal sealed class MirrorTarget(UpstreamCluster cluster, int perMillion)
{
    public UpstreamCluster Cluster { get; } = cluster;

    public int PerMillion { get; } = perMillion;
}
