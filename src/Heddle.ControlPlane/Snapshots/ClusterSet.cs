using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The clusters of a snapshot being built, by name.</summary>
internal sealed class ClusterSet
{
    private readonly SortedDictionary<string, Cluster> _clusters = new(StringComparer.Ordinal);

    public IEnumerable<Cluster> All => _clusters.Values;

    public void Add(Cluster cluster) => _clusters.TryAdd(cluster.Name, cluster);

    public bool Contains(string name) => _clusters.ContainsKey(name);

    /// <summary>The name of the cluster for a route destination, adding an empty one when no service defines it.</summary>
    public string Ensure(string host, int port, string? subset, Protocol protocol)
    {
        var name = ClusterNames.Outbound(port, subset, host);
        if (!_clusters.ContainsKey(name))
        {
            _clusters.Add(name, ClusterBuilder.Empty(host, port, subset, protocol));
        }

        return name;
    }
}
