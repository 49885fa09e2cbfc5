using System.Collections.Concurrent;
using System.Text;

namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>
/// The value of the peer-metadata header (<see cref="Heddle.Discovery.MeshHeaders.PeerMetadata"/>):
/// <c>workload=web-v1;namespace=default;app=web;version=v1;cluster=Kubernetes;sa=web</c>. Names, namespaces and label
/// values cannot contain ';' or '=', so no escaping is needed. Parsed values are cached by header text: a mesh has few
/// distinct peers, and a request from a known peer costs one dictionary lookup.
/// </summary>
internal sealed class PeerMetadata
{
    /// <summary>Enough for every workload of a large mesh; past it, unseen values are parsed each time instead of cached.</summary>
    private const int MaxCached = 4096;

    private readonly ConcurrentDictionary<string, WorkloadPeer> _parsed = new(StringComparer.Ordinal);

    public static string Encode(WorkloadPeer peer)
    {
        var text = new StringBuilder();
        Append(text, "workload", peer.Workload);
        Append(text, "namespace", peer.Namespace);
        Append(text, "app", peer.App);
        Append(text, "version", peer.Version);
        Append(text, "cluster", peer.Cluster);
        Append(text, "sa", peer.ServiceAccount ?? WorkloadPeer.UnknownValue);
        return text.ToString();
    }

    /// <summary>The peer a header value describes; <see cref="WorkloadPeer.Unknown"/> when there is none.</summary>
    public WorkloadPeer Resolve(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return WorkloadPeer.Unknown;
        }

        if (_parsed.TryGetValue(value, out var peer))
        {
            return peer;
        }

        peer = Parse(value);
        if (_parsed.Count < MaxCached)
        {
            peer = _parsed.GetOrAdd(value, peer);
        }

        return peer;
    }

    public static WorkloadPeer Parse(string value)
    {
        string? workload = null, ns = null, app = null, version = null, cluster = null, serviceAccount = null;
        foreach (var range in value.AsSpan().Split(';'))
        {
            var pair = value.AsSpan(range.Start.Value, range.End.Value - range.Start.Value);
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            var item = pair[(eq + 1)..].Trim().ToString();
            switch (pair[..eq].Trim())
            {
                case "workload": workload = item; break;
                case "namespace": ns = item; break;
                case "app": app = item; break;
                case "version": version = item; break;
                case "cluster": cluster = item; break;
                case "sa": serviceAccount = item == WorkloadPeer.UnknownValue ? null : item; break;
            }
        }

        return new WorkloadPeer(workload, ns, app, version, serviceAccount, cluster);
    }

    private static void Append(StringBuilder text, string name, string value)
    {
        if (text.Length > 0)
        {
            text.Append(';');
        }

        text.Append(name).Append('=').Append(value);
    }
}
