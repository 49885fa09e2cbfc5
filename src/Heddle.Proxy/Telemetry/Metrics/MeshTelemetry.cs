using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>
/// What the request path needs to label metrics: this proxy's own workload, the peer workloads and services it has
/// seen (resolved once per cluster, endpoint, authority or peer-metadata value, then reused), and the metrics registry.
/// </summary>
internal sealed class MeshTelemetry
{
    private const int MaxAuthorities = 4096;
    private const string ClusterLocalSuffix = ".svc.cluster.local";

    private readonly ConditionalWeakTable<UpstreamCluster, ClusterTelemetry> _clusters = new();
    private readonly ConditionalWeakTable<UpstreamCluster, ClusterTelemetry>.CreateValueCallback _createCluster;
    private readonly ConcurrentDictionary<string, ServiceTarget> _authorities = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ServiceTarget> _passthroughAuthorities = new(StringComparer.OrdinalIgnoreCase);

    public MeshTelemetry(WorkloadPeer local, ProxyMetrics metrics)
    {
        Local = local;
        Metrics = metrics;
        Peers = new PeerMetadata();
        LocalMetadata = PeerMetadata.Encode(local);
        // The local workload is the same instance whichever way it is reached, so its series are shared.
        Local = Peers.Resolve(LocalMetadata);
        _createCluster = CreateCluster;
    }

    /// <summary>This proxy's workload.</summary>
    public WorkloadPeer Local { get; }

    /// <summary>This proxy's workload as the peer-metadata header carries it.</summary>
    public string LocalMetadata { get; }

    public PeerMetadata Peers { get; }

    public ProxyMetrics Metrics { get; }

    public ClusterTelemetry For(UpstreamCluster cluster) =>
        _clusters.TryGetValue(cluster, out var telemetry) ? telemetry : _clusters.GetValue(cluster, _createCluster);

    /// <summary>
    /// The service a request for <paramref name="authority"/> was meant for when no cluster says (no route): the host as
    /// the client named it (as Istio falls back to the request's host), a Kubernetes short name completed in the
    /// client's namespace, where the name resolves.
    /// </summary>
    public ServiceTarget FromOutboundAuthority(string? authority) => FromAuthority(_authorities, authority, passthrough: false);

    /// <summary>The external service of a passthrough request: its host, named "PassthroughCluster" as in Istio.</summary>
    public ServiceTarget FromPassthroughAuthority(string? authority) => FromAuthority(_passthroughAuthorities, authority, passthrough: true);

    /// <summary>
    /// The service an inbound request was sent to, from its authority: a Kubernetes short name ("httpbin",
    /// "httpbin.default", "httpbin.default.svc") names a service of this pod's namespace and is completed to its FQDN.
    /// </summary>
    public ServiceTarget FromInboundAuthority(string? authority) => FromAuthority(_authorities, authority, passthrough: false);

    private ServiceTarget FromAuthority(ConcurrentDictionary<string, ServiceTarget> cache, string? authority, bool passthrough)
    {
        if (string.IsNullOrEmpty(authority))
        {
            return ServiceTarget.Unknown;
        }

        if (cache.TryGetValue(authority, out var target))
        {
            return target;
        }

        target = Describe(authority, Local.Namespace, passthrough);
        return cache.Count < MaxAuthorities ? cache.GetOrAdd(authority, target) : target;
    }

    internal static ServiceTarget Describe(string authority, string? localNamespace, bool passthrough)
    {
        var host = HostOf(authority).ToLowerInvariant();
        if (passthrough)
        {
            return new ServiceTarget(host, "PassthroughCluster", WorkloadPeer.UnknownValue);
        }

        if (localNamespace is not null)
        {
            var parts = host.Split('.');
            if (parts.Length == 1
                || (parts.Length == 2 && parts[1] == localNamespace)
                || (parts.Length == 3 && parts[1] == localNamespace && parts[2] == "svc"))
            {
                host = parts[0] + "." + localNamespace + ClusterLocalSuffix;
            }
        }

        if (host.EndsWith(ClusterLocalSuffix, StringComparison.Ordinal))
        {
            var parts = host[..^ClusterLocalSuffix.Length].Split('.');
            if (parts.Length == 2)
            {
                return new ServiceTarget(host, parts[0], parts[1]);
            }
        }

        return new ServiceTarget(host, host, WorkloadPeer.UnknownValue);
    }

    internal static string HostOf(string authority)
    {
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            return close > 0 ? authority[1..close] : authority;
        }

        var colon = authority.LastIndexOf(':');
        return colon > 0 ? authority[..colon] : authority;
    }

    private ClusterTelemetry CreateCluster(UpstreamCluster cluster)
    {
        var source = cluster.Source;
        var service = source.Service.Length == 0
            ? ServiceTarget.Unknown
            : new ServiceTarget(
                source.Service,
                source.ServiceName.Length > 0 ? source.ServiceName : Describe(source.Service, null, false).Name,
                source.ServiceNamespace.Length > 0 ? source.ServiceNamespace : Describe(source.Service, null, false).Namespace);
        var peers = new Dictionary<UpstreamEndpoint, WorkloadPeer>(cluster.Endpoints.Length);
        for (var i = 0; i < cluster.Endpoints.Length && i < source.Endpoints.Count; i++)
        {
            var endpoint = source.Endpoints[i];
            var peer = WorkloadPeer.FromLabels(endpoint.Workload, endpoint.WorkloadNamespace, endpoint.Labels, endpoint.ServiceAccount, Local.Cluster);
            // Interned through the metadata cache: every endpoint of one workload shares one instance, hence one series.
            peers[cluster.Endpoints[i]] = Peers.Resolve(PeerMetadata.Encode(peer));
        }

        return new ClusterTelemetry(service, peers);
    }
}

/// <summary>A cluster's destination service and the workload behind each of its endpoints.</summary>
internal sealed class ClusterTelemetry(ServiceTarget service, Dictionary<UpstreamEndpoint, WorkloadPeer> peers)
{
    public ServiceTarget Service { get; } = service;

    public WorkloadPeer PeerOf(UpstreamEndpoint? endpoint) =>
        endpoint is not null && peers.TryGetValue(endpoint, out var peer) ? peer : WorkloadPeer.Unknown;
}
