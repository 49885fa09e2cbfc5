using Heddle.Config;
using Heddle.Config.Model;
using Heddle.ControlPlane.Snapshots.Actions;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The routes of one virtual host (a service port) from the VirtualService that applies to the service, or a
/// single catch-all route to the service's default cluster when none does.</summary>
internal static class RouteBuilder
{
    public static List<Route> For(MeshService service, MeshServicePort port, VirtualService? virtualService, EndpointCatalog catalog, ProxyContext proxy, ClusterSet clusters)
    {
        var routes = new List<Route>();
        if (virtualService is not null)
        {
            foreach (var http in DelegateRoutes.Expand(virtualService, catalog.Config.VirtualServices))
            {
                if (Translate(http.Owner, http.Http, http.Name, port, catalog, proxy, clusters) is { } route)
                {
                    routes.Add(route);
                }
            }
        }

        // A VirtualService that says nothing about this port (only other ports, or only TCP/TLS routes) leaves the
        // port with the default route rather than without any.
        if (routes.Count == 0)
        {
            // Istio gives routes it generates its default retry policy too.
            var route = new Route { Name = "default", RetryPolicy = RetryPolicyTranslator.Default() };
            route.Clusters.Add(new WeightedCluster { Cluster = ClusterNames.Outbound(port.Number, null, service.Hostname), Weight = 100 });
            routes.Add(route);
        }

        return routes;
    }

    private static Route? Translate(VirtualService virtualService, HttpRoute http, string name, MeshServicePort port, EndpointCatalog catalog, ProxyContext proxy, ClusterSet clusters)
    {
        // Delegation is resolved before (DelegateRoutes); a route that neither forwards, redirects nor answers has nothing to send.
        if (http.Route.IsEmpty && http.Redirect is null && http.DirectResponse is null)
        {
            return null;
        }

        var route = new Route { Name = name };
        if (!http.Match.IsEmpty)
        {
            foreach (var match in http.Match)
            {
                if (MatchTranslator.Translate(match, port.Number, proxy) is { } translated)
                {
                    route.Matches.Add(translated);
                }
            }

            if (route.Matches.Count == 0)
            {
                // Every alternative is for another port, another caller or a gateway.
                return null;
            }
        }

        // A redirect or direct response is answered by the proxy: the route has no destination.
        var single = http.Route.Length == 1;
        var total = 0;
        foreach (var destination in http.Route)
        {
            var weight = single ? 100 : destination.Weight ?? 0;
            total += weight;
            route.Clusters.Add(new WeightedCluster { Cluster = ClusterFor(destination.Destination, virtualService.Metadata.Namespace, port, catalog, clusters), Weight = (uint)weight });
        }

        if (total == 0 && route.Clusters.Count > 0)
        {
            // Several destinations without weights: share the traffic evenly.
            foreach (var cluster in route.Clusters)
            {
                cluster.Weight = 1;
            }
        }

        var @namespace = virtualService.Metadata.Namespace;
        RouteActionTranslator.Apply(http, route, destination => ClusterFor(destination, @namespace, port, catalog, clusters));
        return route;
    }

    /// <summary>The destination's cluster: its host qualified in the VirtualService's namespace, its port as written,
    /// else the service's only port, else the port the request came in on.</summary>
    private static string ClusterFor(Destination destination, string @namespace, MeshServicePort requestPort, EndpointCatalog catalog, ClusterSet clusters)
    {
        var service = catalog.Resolve(destination.Host, @namespace);
        var number = destination.Port?.Number
            ?? (service is { Ports.Length: 1 } ? service.Ports[0].Number : requestPort.Number);
        var host = service?.Hostname ?? HostNames.Qualify(destination.Host, @namespace);
        var protocol = service?.FindPort(number)?.Protocol ?? requestPort.Protocol;
        return clusters.Ensure(host, number, string.IsNullOrEmpty(destination.Subset) ? null : destination.Subset, protocol);
    }

}
