using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.ControlPlane.Registry;
using Heddle.Discovery.V1;
using Resource = Heddle.Discovery.V1.Resource;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Computes the snapshot of one proxy: a cluster per service port and subset, a virtual host per service port
/// with the routes of its VirtualService, the proxy's inbound listener and its settings.</summary>
/// <remarks>Invariant, checked on every build: every cluster a route names is in the snapshot.</remarks>
public static class SnapshotBuilder
{
    public static ProxySnapshot Build(ConfigSet config, ImmutableArray<ConnectedPod> pods, Node proxy) =>
        Build(EndpointCatalog.Build(config, pods), proxy);

    public static ProxySnapshot Build(EndpointCatalog catalog, Node node)
    {
        var proxy = ProxyContext.For(node, catalog);
        var rules = new RuleSelection(catalog, proxy);
        var clusters = new ClusterSet();
        foreach (var service in catalog.Services)
        {
            if (!proxy.CanSee(service.ExportTo, service.Namespace))
            {
                continue;
            }

            var rule = rules.DestinationRuleFor(service);
            foreach (var port in service.Ports)
            {
                foreach (var cluster in ClusterBuilder.For(service, port, rule, proxy, catalog.Config.MeshH2Upgrade))
                {
                    clusters.Add(cluster);
                }
            }
        }

        var resources = new List<SnapshotResource>();
        var domains = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in catalog.Services)
        {
            // A service not exported to the proxy's namespace gets no virtual host (its name is unknown there).
            if (!proxy.CanSee(service.ExportTo, service.Namespace))
            {
                continue;
            }

            var virtualService = rules.VirtualServiceFor(service);
            foreach (var port in service.Ports)
            {
                var virtualHost = new VirtualHost { Name = ClusterNames.VirtualHost(service.Hostname, port.Number), Port = (uint)port.Number };
                foreach (var domain in DomainNames.For(service, port.Number, proxy.Namespace))
                {
                    // A name two services claim belongs to the first (Kubernetes Services before ServiceEntries).
                    if (domains.Add(domain))
                    {
                        virtualHost.Domains.Add(domain);
                    }
                }

                virtualHost.Routes.Add(RouteBuilder.For(service, port, virtualService, catalog, proxy, clusters));
                resources.Add(SnapshotResource.Create(new Resource { Name = ClusterNames.VirtualHostResource(virtualHost.Name), VirtualHost = virtualHost }));
            }
        }

        foreach (var cluster in clusters.All)
        {
            resources.Add(SnapshotResource.Create(new Resource { Name = ClusterNames.ClusterResource(cluster.Name), Cluster = cluster }));
        }

        resources.Add(SnapshotResource.Create(new Resource { Name = ClusterNames.InboundResource, Inbound = InboundBuilder.For(proxy, catalog) }));
        resources.Add(SnapshotResource.Create(new Resource { Name = ClusterNames.SettingsResource, Settings = TelemetrySettingsBuilder.Apply(ProxySettingsBuilder.For(catalog.Config), catalog.Config, proxy.Namespace, proxy.Labels) }));

        if (AuthorizationBuilder.For(proxy, catalog) is { } authorization)
        {
            resources.Add(SnapshotResource.Create(new Resource { Name = ClusterNames.AuthorizationResource, Authorization = authorization }));
        }

        if (JwtBuilder.For(proxy, catalog.Config) is { } jwt)
        {
            resources.Add(SnapshotResource.Create(new Resource { Name = ClusterNames.JwtResource, Jwt = jwt }));
        }

        var snapshot = ProxySnapshot.Create(resources);
        AssertRoutesHaveClusters(snapshot);
        return snapshot;
    }

    /// <summary>Throws when a route names a cluster the snapshot does not hold: a proxy must never receive such a snapshot.</summary>
    public static void AssertRoutesHaveClusters(ProxySnapshot snapshot)
    {
        foreach (var resource in snapshot.Resources.Values)
        {
            if (resource.Resource.VirtualHost is not { } virtualHost)
            {
                continue;
            }

            foreach (var route in virtualHost.Routes)
            {
                foreach (var cluster in route.Clusters)
                {
                    if (!snapshot.Resources.ContainsKey(ClusterNames.ClusterResource(cluster.Cluster)))
                    {
                        throw new InvalidOperationException($"route '{route.Name}' of virtual host '{virtualHost.Name}' names cluster '{cluster.Cluster}', which the snapshot does not hold");
                    }
                }
            }
        }
    }
}
