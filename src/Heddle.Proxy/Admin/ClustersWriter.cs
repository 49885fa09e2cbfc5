using System.Globalization;
using System.Text;
using Heddle.Proxy.Discovery;

namespace Heddle.Proxy.Admin;

/// <summary>
/// <c>GET /clusters</c>: every cluster's endpoints in the shape of Envoy's admin output, one
/// <c>cluster::host:port::stat::value</c> line each (health, weight, active requests, the fronting sidecar).
/// </summary>
internal static class ClustersWriter
{
    public static string Write(ProxySnapshot snapshot)
    {
        var text = new StringBuilder();
        var names = new List<string>(snapshot.Clusters.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var cluster = snapshot.Clusters[name];
            text.Append(name).Append("::default_priority::max_requests::1024\n");
            text.Append(name).Append("::added_via_api::true\n");
            foreach (var endpoint in cluster.Endpoints)
            {
                var host = name + "::" + Upstreams.UpstreamEndpoint.FormatHostPort(endpoint.Address, endpoint.Port) + "::";
                text.Append(host).Append("health_flags::healthy\n");
                text.Append(host).Append("weight::").Append(endpoint.Weight.ToString(CultureInfo.InvariantCulture)).Append('\n');
                text.Append(host).Append("rq_active::").Append(endpoint.InFlight.ToString(CultureInfo.InvariantCulture)).Append('\n');
                text.Append(host).Append("sidecar::").Append(endpoint.Sidecar ?? "-").Append('\n');
            }
        }

        return text.ToString();
    }
}
