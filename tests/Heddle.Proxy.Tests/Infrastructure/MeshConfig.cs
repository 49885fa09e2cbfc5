using Heddle.Discovery.V1;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>Builds discovery resources the way the control plane names them, so tests read like configuration.</summary>
internal static class MeshConfig
{
    public static string ClusterName(string service, int port, string subset = "") =>
        $"outbound|{port}|{subset}|{service}.default.svc.cluster.local";

    /// <summary>The domains a proxy in namespace "default" gets for Service <paramref name="service"/> of namespace "default".</summary>
    public static string[] Domains(string service, int port) =>
    [
        $"{service}:{port}",
        $"{service}.default:{port}",
        $"{service}.default.svc:{port}",
        $"{service}.default.svc.cluster.local:{port}",
    ];

    public static Endpoint Endpoint(string address, int port, string? sidecar = null) =>
        new() { Address = address, Port = (uint)port, Sidecar = sidecar ?? "" };

    public static Resource Cluster(string name, Protocol protocol, params Endpoint[] endpoints)
    {
        var cluster = new Cluster { Name = name, Protocol = protocol };
        cluster.Endpoints.AddRange(endpoints);
        return new Resource { Name = "cluster/" + name, Cluster = cluster };
    }

    public static Resource Cluster(string name, params Endpoint[] endpoints) => Cluster(name, Protocol.Http, endpoints);

    public static Resource VirtualHost(string service, int port, params Route[] routes)
    {
        var virtualHost = new VirtualHost { Name = $"{service}.default.svc.cluster.local:{port}", Port = (uint)port };
        virtualHost.Domains.AddRange(Domains(service, port));
        virtualHost.Routes.AddRange(routes);
        return new Resource { Name = "vhost/" + virtualHost.Name, VirtualHost = virtualHost };
    }

    /// <summary>Istio's default retry policy, which the control plane puts on every route without its own.</summary>
    public static Route WithDefaultRetries(Route route)
    {
        route.RetryPolicy = new RouteRetryPolicy { NumRetries = 2, RetryOn = { "connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes" }, RetriableStatusCodes = { 503 } };
        return route;
    }

    public static Route Route(string cluster, params RouteMatch[] matches)
    {
        var route = new Route { Name = "route-" + cluster };
        route.Matches.AddRange(matches);
        route.Clusters.Add(new WeightedCluster { Cluster = cluster, Weight = 100 });
        return route;
    }

    public static Route WeightedRoute(params (string Cluster, uint Weight)[] clusters)
    {
        var route = new Route { Name = "weighted" };
        foreach (var (cluster, weight) in clusters)
        {
            route.Clusters.Add(new WeightedCluster { Cluster = cluster, Weight = weight });
        }

        return route;
    }

    public static RouteMatch HeaderExact(string name, string value)
    {
        var match = new RouteMatch();
        match.Headers.Add(new HeaderMatch { Name = name, Value = new StringMatch { Exact = value } });
        return match;
    }

    public static RouteMatch UriPrefix(string prefix) => new() { Uri = new StringMatch { Prefix = prefix } };

    public static RouteMatch UriRegex(string regex) => new() { Uri = new StringMatch { Regex = regex } };

    public static Resource Inbound(string appAddress, params (int Port, Protocol Protocol)[] ports)
    {
        var inbound = new InboundListener { AppAddress = appAddress };
        foreach (var (port, protocol) in ports)
        {
            inbound.Ports.Add(new InboundPort { Port = (uint)port, Name = protocol.ToString().ToLowerInvariant(), Protocol = protocol });
        }

        return new Resource { Name = "inbound", Inbound = inbound };
    }

    public static Resource Settings(ProxySettings.Types.OutboundTrafficPolicy policy) =>
        new() { Name = "settings", Settings = new ProxySettings { OutboundTrafficPolicy = policy } };

    public static DiscoveryResponse Full(string version, params Resource[] resources)
    {
        var response = new DiscoveryResponse { Version = version, Nonce = "n-" + version };
        response.Upserted.AddRange(resources);
        return response;
    }

    public static DiscoveryResponse Delta(string version, string baseVersion, Resource[] upserted, params string[] removed)
    {
        var response = new DiscoveryResponse { Version = version, Nonce = "n-" + version, BaseVersion = baseVersion };
        response.Upserted.AddRange(upserted);
        response.Removed.AddRange(removed);
        return response;
    }
}
