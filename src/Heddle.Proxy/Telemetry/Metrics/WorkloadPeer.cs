namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>
/// One end of a request as Istio's metrics label it: workload, namespace, app, version, principal and cluster, with
/// "unknown" for what is not known. Instances are shared (one per distinct peer), so series keys compare them by reference.
/// </summary>
internal sealed class WorkloadPeer
{
    public const string UnknownValue = "unknown";

    /// <summary>Istio's default cluster name, used when the proxy is not told its cluster.</summary>
    public const string DefaultCluster = "Kubernetes";

    public WorkloadPeer(string? workload, string? ns, string? app, string? version, string? serviceAccount, string? cluster)
    {
        Workload = OrUnknown(workload);
        Namespace = OrUnknown(ns);
        App = OrUnknown(app);
        Version = OrUnknown(version);
        ServiceAccount = string.IsNullOrEmpty(serviceAccount) ? null : serviceAccount;
        Cluster = OrUnknown(cluster);
    }

    public static WorkloadPeer Unknown { get; } = new(null, null, null, null, null, null);

    public string Workload { get; }

    public string Namespace { get; }

    public string App { get; }

    public string Version { get; }

    /// <summary>The workload's service account, when known; its SPIFFE identity once mutual TLS proves it.</summary>
    public string? ServiceAccount { get; }

    public string Cluster { get; }

    /// <summary>
    /// The peer's identity as a metric label: only a peer certificate proves one, so without mutual TLS it is "unknown",
    /// as in Istio.
    /// </summary>
    public static string Principal(WorkloadPeer peer, bool authenticated) =>
        authenticated && peer.ServiceAccount is not null && peer.Namespace != UnknownValue
            ? "spiffe://cluster.local/ns/" + peer.Namespace + "/sa/" + peer.ServiceAccount
            : UnknownValue;

    /// <summary>A workload from its name, namespace and labels: app from <c>app</c> (or <c>app.kubernetes.io/name</c>),
    /// version from <c>version</c> (or <c>app.kubernetes.io/version</c>), as Istio reads them.</summary>
    public static WorkloadPeer FromLabels(string? workload, string? ns, IReadOnlyDictionary<string, string> labels, string? serviceAccount, string? cluster) =>
        new(workload, ns, Label(labels, "app", "app.kubernetes.io/name"), Label(labels, "version", "app.kubernetes.io/version"), serviceAccount, cluster);

    private static string? Label(IReadOnlyDictionary<string, string> labels, string name, string alternative) =>
        labels.TryGetValue(name, out var value) || labels.TryGetValue(alternative, out value) ? value : null;

    private static string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? UnknownValue : value;
}
