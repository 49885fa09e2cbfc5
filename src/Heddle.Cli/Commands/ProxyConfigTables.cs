using System.Text;
using System.Text.Json;
using Heddle.Discovery;

namespace Heddle.Cli.Commands;

/// <summary>Renders a sidecar's <see cref="ConfigDump"/> as istioctl's <c>proxy-config</c> does: one table per kind
/// for people, the same rows as JSON for scripts.</summary>
internal static class ProxyConfigTables
{
    public const string Routes = "routes";
    public const string Clusters = "clusters";
    public const string Endpoints = "endpoints";
    public const string Listeners = "listeners";

    public static void Write(string kind, ConfigDump dump, string podIp, string format, TextWriter output)
    {
        if (format == OutputOption.Json)
        {
            output.WriteLine(ToJson(kind, dump, podIp));
            return;
        }

        var table = kind switch
        {
            Routes => RoutesTable(dump),
            Clusters => ClustersTable(dump),
            Endpoints => EndpointsTable(dump),
            Listeners => ListenersTable(dump, podIp),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind"),
        };
        table.WriteTo(output);
    }

    /// <summary>One row per route: its virtual host, the domains it answers, what it matches, where it sends.</summary>
    public static TextTable RoutesTable(ConfigDump dump)
    {
        var table = new TextTable("VIRTUAL HOST", "DOMAINS", "MATCH", "DESTINATION CLUSTERS");
        foreach (var vhost in dump.VirtualHosts)
        {
            string domains = vhost.Domains.Count switch
            {
                0 => "-",
                1 => vhost.Domains[0],
                _ => $"{vhost.Domains[0]} +{vhost.Domains.Count - 1} more",
            };
            foreach (var route in vhost.Routes)
            {
                table.Add(vhost.Name, domains, MatchSummary(route.Matches), ClusterSummary(route.Clusters));
            }
        }

        return table;
    }

    public static TextTable ClustersTable(ConfigDump dump)
    {
        var table = new TextTable("NAME", "SERVICE FQDN", "PORT", "SUBSET", "PROTOCOL", "LB POLICY", "ENDPOINTS");
        foreach (var cluster in dump.Clusters)
        {
            table.Add(
                cluster.Name,
                Dash(cluster.Service),
                cluster.Port == 0 ? "-" : cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Dash(cluster.Subset),
                Strip(cluster.Protocol, "PROTOCOL_"),
                Strip(cluster.LoadBalancer, "LOAD_BALANCER_"),
                cluster.Endpoints.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return table;
    }

    public static TextTable EndpointsTable(ConfigDump dump)
    {
        var table = new TextTable("ENDPOINT", "SIDECAR", "WEIGHT", "LABELS", "CLUSTER");
        foreach (var cluster in dump.Clusters)
        {
            foreach (var endpoint in cluster.Endpoints)
            {
                table.Add(
                    $"{endpoint.Address}:{endpoint.Port}",
                    Dash(endpoint.Sidecar),
                    endpoint.Weight == 0 ? "-" : endpoint.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    endpoint.Labels.Count == 0 ? "-" : string.Join(',', endpoint.Labels.Select(l => $"{l.Key}={l.Value}")),
                    cluster.Name);
            }
        }

        return table;
    }

    /// <summary>The pod's listeners: the fixed mesh ports, with what the discovery protocol configured on them.</summary>
    public static TextTable ListenersTable(ConfigDump dump, string podIp)
    {
        var table = new TextTable("ADDRESS", "PORT", "TYPE", "DESTINATION");
        foreach (var listener in ListenerRows(dump, podIp))
        {
            table.Add(listener.Address, listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), listener.Type, listener.Destination);
        }

        return table;
    }

    private static List<(string Address, int Port, string Type, string Destination)> ListenerRows(ConfigDump dump, string podIp)
    {
        var rows = new List<(string Address, int Port, string Type, string Destination)>
        {
            (podIp, MeshPorts.Outbound, "OUTBOUND", $"explicit HTTP proxy: {dump.VirtualHosts.Count} virtual host{(dump.VirtualHosts.Count == 1 ? "" : "s")}, unknown hosts {(dump.OutboundTrafficPolicy == "REGISTRY_ONLY" ? "refused (REGISTRY_ONLY)" : "to PassthroughCluster (ALLOW_ANY)")}"),
        };
        if (dump.Inbound is { Ports.Count: > 0 } inbound)
        {
            foreach (var (port, name, protocol) in inbound.Ports)
            {
                rows.Add((podIp, MeshPorts.Inbound, "INBOUND", $"{inbound.AppAddress}:{port} {Strip(protocol, "PROTOCOL_")}{(name.Length == 0 ? "" : $" ({name})")}"));
            }
        }
        else
        {
            rows.Add((podIp, MeshPorts.Inbound, "INBOUND", "no application port"));
        }

        rows.Add((podIp, MeshPorts.Admin, "ADMIN", "/ready /config_dump /stats /quitquitquit"));
        rows.Add((podIp, MeshPorts.Readiness, "READINESS", "/healthz/ready"));
        return rows;
    }

    /// <summary>A route's conditions in short: <c>/api* end-user=jason</c>; alternatives joined by <c>|</c>; <c>/*</c> when it matches everything.</summary>
    public static string MatchSummary(IReadOnlyList<JsonElement> matches)
    {
        if (matches.Count == 0)
        {
            return "/*";
        }

        var text = new StringBuilder();
        foreach (var match in matches)
        {
            if (text.Length > 0)
            {
                text.Append(" | ");
            }

            var parts = new List<string>();
            bool ignoreCase = match.TryGetProperty("ignoreUriCase", out var ic) && ic.ValueKind == JsonValueKind.True;
            if (match.TryGetProperty("uri", out var uri))
            {
                parts.Add(StringMatch(uri, path: true) + (ignoreCase ? " (any case)" : ""));
            }
            if (match.TryGetProperty("method", out var method))
            {
                parts.Add("method" + StringMatch(method, path: false));
            }

            if (match.TryGetProperty("scheme", out var scheme))
            {
                parts.Add("scheme" + StringMatch(scheme, path: false));
            }

            if (match.TryGetProperty("authority", out var authority))
            {
                parts.Add("authority" + StringMatch(authority, path: false));
            }

            foreach (var header in Items(match, "headers"))
            {
                string name = header.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                bool invert = header.TryGetProperty("invert", out var inv) && inv.ValueKind == JsonValueKind.True;
                string condition = header.TryGetProperty("value", out var value) ? StringMatch(value, path: false) : " present";
                parts.Add((invert ? "!" : "") + name + condition);
            }

            foreach (var query in Items(match, "queryParams"))
            {
                string name = query.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                parts.Add("?" + name + (query.TryGetProperty("value", out var value) ? StringMatch(value, path: false) : " present"));
            }

            text.AppendJoin(' ', parts.Count == 0 ? ["/*"] : parts);
        }

        return text.ToString();
    }

    /// <summary><c>prefix /api</c> reads <c>/api*</c>; exact <c>=v</c>, prefix <c>=v*</c>, regex <c>~v</c> for other fields.</summary>
    private static string StringMatch(JsonElement match, bool path)
    {
        if (match.TryGetProperty("exact", out var exact))
        {
            return path ? exact.GetString() ?? "" : "=" + exact.GetString();
        }

        if (match.TryGetProperty("prefix", out var prefix))
        {
            return (path ? "" : "=") + prefix.GetString() + "*";
        }

        if (match.TryGetProperty("regex", out var regex))
        {
            return "~" + regex.GetString();
        }

        return path ? "/*" : " present";
    }

    /// <summary><c>cluster 80%, cluster 20%</c>; a single destination without its weight.</summary>
    public static string ClusterSummary(IReadOnlyList<(string Cluster, int Weight)> clusters)
    {
        if (clusters.Count == 0)
        {
            return "-";
        }

        if (clusters.Count == 1)
        {
            return clusters[0].Cluster;
        }

        return string.Join(", ", clusters.Select(c => $"{c.Cluster} {c.Weight}%"));
    }

    private static string ToJson(string kind, ConfigDump dump, string podIp)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            switch (kind)
            {
                case Routes:
                    foreach (var vhost in dump.VirtualHosts)
                    {
                        vhost.Raw.WriteTo(json);
                    }

                    break;
                case Clusters:
                    foreach (var cluster in dump.Clusters)
                    {
                        cluster.Raw.WriteTo(json);
                    }

                    break;
                case Endpoints:
                    foreach (var cluster in dump.Clusters)
                    {
                        foreach (var endpoint in cluster.Endpoints)
                        {
                            json.WriteStartObject();
                            json.WriteString("cluster", cluster.Name);
                            json.WriteString("address", endpoint.Address);
                            json.WriteNumber("port", endpoint.Port);
                            json.WriteString("sidecar", endpoint.Sidecar);
                            json.WriteNumber("weight", endpoint.Weight);
                            json.WriteStartObject("labels");
                            foreach (var (name, value) in endpoint.Labels)
                            {
                                json.WriteString(name, value);
                            }

                            json.WriteEndObject();
                            json.WriteEndObject();
                        }
                    }

                    break;
                case Listeners:
                    foreach (var (address, port, type, destination) in ListenerRows(dump, podIp))
                    {
                        json.WriteStartObject();
                        json.WriteString("address", address);
                        json.WriteNumber("port", port);
                        json.WriteString("type", type);
                        json.WriteString("destination", destination);
                        json.WriteEndObject();
                    }

                    break;
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static IEnumerable<JsonElement> Items(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    private static string Strip(string text, string prefix) => text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;

    private static string Dash(string text) => text.Length == 0 ? "-" : text;
}
