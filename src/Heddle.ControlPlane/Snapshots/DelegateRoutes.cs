using System.Collections.Immutable;
using System.Globalization;
using Heddle.Config.Analysis;
using Heddle.Config.Model;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>One HTTP route ready to translate, with the VirtualService whose namespace its destinations resolve in and
/// the route's name (<c>ns/name/route</c>, and for a delegated route <c>ns/root/route/ns/delegate/route</c>).</summary>
internal sealed record ExpandedRoute(VirtualService Owner, HttpRoute Http, string Name);

/// <summary>
/// Istio's VirtualService delegation (one level): a root route that names a delegate VirtualService is replaced by
/// the delegate's routes, each merged under the root route by <see cref="DelegateMerge"/> (a delegate route whose
/// match cannot narrow the root's is dropped).
/// </summary>
internal static class DelegateRoutes
{
    public static List<ExpandedRoute> Expand(VirtualService root, IReadOnlyList<VirtualService> all)
    {
        var expanded = new List<ExpandedRoute>();
        var http = root.Spec.Http;
        for (var i = 0; i < http.Length; i++)
        {
            var rootRoute = http[i];
            var name = $"{root.Metadata.Namespace}/{root.Metadata.Name}/{rootRoute.Name ?? i.ToString(CultureInfo.InvariantCulture)}";
            if (rootRoute.Delegate is not { Name: { Length: > 0 } delegateName } target)
            {
                expanded.Add(new ExpandedRoute(root, rootRoute, name));
                continue;
            }

            // A delegate that does not exist, is not exported to the root's namespace, or has hosts of its own
            // (it is then a root itself) contributes no routes; `heddle analyze` reports it.
            var delegateNamespace = target.Namespace ?? root.Metadata.Namespace;
            if (Find(all, delegateName, delegateNamespace) is not { } @delegate
                || !@delegate.Spec.Hosts.IsEmpty
                || !DelegateMerge.IsExportedTo(@delegate, root.Metadata.Namespace))
            {
                continue;
            }

            var routes = @delegate.Spec.Http;
            for (var j = 0; j < routes.Length; j++)
            {
                // Only one level: a delegate's own delegating routes are ignored, as in Istio.
                if (routes[j].Delegate is not null || DelegateMerge.Merge(rootRoute, routes[j]) is not { } merged)
                {
                    continue;
                }

                var leafName = routes[j].Name ?? j.ToString(CultureInfo.InvariantCulture);
                expanded.Add(new ExpandedRoute(@delegate, merged, $"{name}/{@delegate.Metadata.Namespace}/{@delegate.Metadata.Name}/{leafName}"));
            }
        }

        return expanded;
    }

    private static VirtualService? Find(IReadOnlyList<VirtualService> all, string name, string @namespace)
    {
        foreach (var virtualService in all)
        {
            if (virtualService.Metadata.Name == name && virtualService.Metadata.Namespace == @namespace)
            {
                return virtualService;
            }
        }

        return null;
    }
}
