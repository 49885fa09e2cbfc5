using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The proxy a snapshot is built for: its namespace and labels decide which rules apply and how names look.</summary>
internal sealed record ProxyContext(Node Node, string Namespace, IReadOnlyDictionary<string, string> Labels, LocalWorkload? Workload)
{
    public static ProxyContext For(Node node, EndpointCatalog catalog)
    {
        var @namespace = string.IsNullOrEmpty(node.Namespace) ? "default" : node.Namespace;
        var workload = catalog.Workloads.Find(node.Workload, @namespace);
        IReadOnlyDictionary<string, string> labels = workload is not null ? workload.Labels : node.Labels.ToImmutableSortedDictionary(StringComparer.Ordinal);
        return new ProxyContext(node, @namespace, labels, workload);
    }

    /// <summary>Istio's exportTo: empty or "*" exports everywhere, "." to the resource's own namespace, a name to that namespace.</summary>
    public bool CanSee(ImmutableArray<string> exportTo, string resourceNamespace)
    {
        if (exportTo.IsEmpty)
        {
            return true;
        }

        foreach (var target in exportTo)
        {
            if (target == "*" || target == Namespace || (target == "." && resourceNamespace == Namespace))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Which of several rules for the same host wins: one in the proxy's namespace, then one in the service's
    /// namespace, then any other (the first in configuration order within each group).</summary>
    public int Precedence(string resourceNamespace, string serviceNamespace) =>
        resourceNamespace == Namespace ? 0 : resourceNamespace == serviceNamespace ? 1 : 2;
}
