using System.Text.Json;

namespace Heddle.Cli.Commands;

/// <summary>
/// A sidecar's <c>GET :15000/config_dump</c>, read: <c>{"version", "node", "controlPlaneConnected", "resources": [..]}</c>
/// with each resource in the discovery protocol's JSON form (fields at their default value are left out, so a missing
/// number is 0 and a missing enum is its first value).
/// </summary>
internal sealed record ConfigDump(
    string Version,
    string Node,
    bool ControlPlaneConnected,
    IReadOnlyList<DumpedVirtualHost> VirtualHosts,
    IReadOnlyList<DumpedCluster> Clusters,
    DumpedInbound? Inbound,
    string OutboundTrafficPolicy)
{
    public static ConfigDump Parse(JsonElement root)
    {
        var virtualHosts = new List<DumpedVirtualHost>();
        var clusters = new List<DumpedCluster>();
        DumpedInbound? inbound = null;
        string policy = "ALLOW_ANY";
        if (root.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
        {
            foreach (var resource in resources.EnumerateArray())
            {
                if (resource.TryGetProperty("virtualHost", out var vhost))
                {
                    virtualHosts.Add(DumpedVirtualHost.Parse(vhost));
                }
                else if (resource.TryGetProperty("cluster", out var cluster))
                {
                    clusters.Add(DumpedCluster.Parse(cluster));
                }
                else if (resource.TryGetProperty("inbound", out var listener))
                {
                    inbound = DumpedInbound.Parse(listener);
                }
                else if (resource.TryGetProperty("settings", out var settings))
                {
                    policy = Json.Text(settings, "outboundTrafficPolicy", "ALLOW_ANY");
                }
            }
        }

        return new ConfigDump(
            Json.Text(root, "version"),
            Json.Text(root, "node"),
            root.TryGetProperty("controlPlaneConnected", out var connected) && connected.ValueKind == JsonValueKind.True,
            virtualHosts,
            clusters,
            inbound,
            policy);
    }
}

/// <summary>A virtual host: the <c>host:port</c> domains it answers and its routes, first match wins.</summary>
internal sealed record DumpedVirtualHost(string Name, IReadOnlyList<string> Domains, int Port, IReadOnlyList<DumpedRoute> Routes, JsonElement Raw)
{
    public static DumpedVirtualHost Parse(JsonElement vhost)
    {
        var routes = new List<DumpedRoute>();
        foreach (var route in Json.Items(vhost, "routes"))
        {
            var clusters = new List<(string Cluster, int Weight)>();
            foreach (var cluster in Json.Items(route, "clusters"))
            {
                clusters.Add((Json.Text(cluster, "cluster"), Json.Number(cluster, "weight")));
            }

            routes.Add(new DumpedRoute(Json.Text(route, "name"), [.. Json.Items(route, "matches").Select(m => m.Clone())], clusters));
        }

        return new DumpedVirtualHost(
            Json.Text(vhost, "name"),
            [.. Json.Items(vhost, "domains").Select(d => d.GetString() ?? "")],
            Json.Number(vhost, "port"),
            routes,
            vhost.Clone());
    }
}

/// <summary>One route: its match conditions (any one of them) and the clusters it splits traffic between.</summary>
internal sealed record DumpedRoute(string Name, IReadOnlyList<JsonElement> Matches, IReadOnlyList<(string Cluster, int Weight)> Clusters);

/// <summary>A cluster (<c>outbound|port|subset|fqdn</c>) and its endpoints.</summary>
internal sealed record DumpedCluster(
    string Name,
    string Service,
    int Port,
    string Subset,
    string Protocol,
    string LoadBalancer,
    IReadOnlyList<DumpedEndpoint> Endpoints,
    JsonElement Raw)
{
    /// <summary>The cluster's policy: consistent hashing (ring hash or Maglev) when set, else the simple load balancer.</summary>
    private static string LoadBalancerOf(JsonElement cluster) =>
        cluster.TryGetProperty("consistentHash", out var hash) && hash.ValueKind == JsonValueKind.Object
            ? Json.Text(hash, "table", "CONSISTENT_HASH_TABLE_RING_HASH") == "CONSISTENT_HASH_TABLE_MAGLEV" ? "LOAD_BALANCER_MAGLEV" : "LOAD_BALANCER_RING_HASH"
            : Json.Text(cluster, "loadBalancer", "LOAD_BALANCER_ROUND_ROBIN");

    public static DumpedCluster Parse(JsonElement cluster)
    {
        var endpoints = new List<DumpedEndpoint>();
        foreach (var endpoint in Json.Items(cluster, "endpoints"))
        {
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (endpoint.TryGetProperty("labels", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var label in map.EnumerateObject())
                {
                    labels[label.Name] = label.Value.ToString();
                }
            }

            endpoints.Add(new DumpedEndpoint(
                Json.Text(endpoint, "address"),
                Json.Number(endpoint, "port"),
                Json.Text(endpoint, "sidecar"),
                Json.Number(endpoint, "weight"),
                labels));
        }

        return new DumpedCluster(
            Json.Text(cluster, "name"),
            Json.Text(cluster, "service"),
            Json.Number(cluster, "port"),
            Json.Text(cluster, "subset"),
            Json.Text(cluster, "protocol", "PROTOCOL_UNSPECIFIED"),
            LoadBalancerOf(cluster),
            endpoints,
            cluster.Clone());
    }
}

/// <summary>One endpoint of a cluster; <see cref="Sidecar"/> is the inbound listener that fronts it, if any.</summary>
internal sealed record DumpedEndpoint(string Address, int Port, string Sidecar, int Weight, IReadOnlyDictionary<string, string> Labels);

/// <summary>The inbound listener: where the application listens and which of its ports the mesh knows.</summary>
internal sealed record DumpedInbound(string AppAddress, IReadOnlyList<(int Port, string Name, string Protocol)> Ports)
{
    public static DumpedInbound Parse(JsonElement inbound) => new(
        Json.Text(inbound, "appAddress"),
        [.. Json.Items(inbound, "ports").Select(p => (Json.Number(p, "port"), Json.Text(p, "name"), Json.Text(p, "protocol", "PROTOCOL_UNSPECIFIED")))]);
}

/// <summary>Tolerant readers for protobuf JSON, where default values are absent.</summary>
file static class Json
{
    public static string Text(JsonElement item, string name, string fallback = "") =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? fallback : value.GetRawText()
            : fallback;

    public static int Number(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number
            : 0;

    public static IEnumerable<JsonElement> Items(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];
}
