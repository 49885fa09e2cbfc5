using Heddle.Config.Model;

namespace Heddle.Config.Loading;

/// <summary>The kinds Heddle reads, and well-known kinds it recognises but does not use (yet).</summary>
internal static class KindRegistry
{
    public static ImmutableArray<ResourceKind> Supported { get; } =
    [
        new(KubernetesService.KindName, [ApiVersions.KubernetesCoreV1], typeof(KubernetesService), typeof(ServiceSpec)),
        new(ServiceEntry.KindName, ApiVersions.IstioNetworking, typeof(ServiceEntry), typeof(ServiceEntrySpec)),
        new(WorkloadEntry.KindName, ApiVersions.IstioNetworking, typeof(WorkloadEntry), typeof(WorkloadEntrySpec)),
        new(VirtualService.KindName, ApiVersions.IstioNetworking, typeof(VirtualService), typeof(VirtualServiceSpec)),
        new(DestinationRule.KindName, ApiVersions.IstioNetworking, typeof(DestinationRule), typeof(DestinationRuleSpec)),
        new(AuthorizationPolicy.KindName, ApiVersions.IstioSecurity, typeof(AuthorizationPolicy), typeof(AuthorizationPolicySpec)),
        new(RequestAuthentication.KindName, ApiVersions.IstioSecurity, typeof(RequestAuthentication), typeof(RequestAuthenticationSpec)),
        new(PeerAuthentication.KindName, ApiVersions.IstioSecurity, typeof(PeerAuthentication), typeof(PeerAuthenticationSpec)),
        new(Telemetry.KindName, ApiVersions.IstioTelemetry, typeof(Telemetry), typeof(TelemetrySpec)),
        new(LocalWorkload.KindName, [ApiVersions.HeddleV1Alpha1], typeof(LocalWorkload), typeof(LocalWorkloadSpec)),
        new(MeshSettings.KindName, [ApiVersions.HeddleV1Alpha1], typeof(MeshSettings), typeof(MeshConfigSpec)),
    ];

    // Kinds found next to mesh configuration in real repositories (bookinfo ships Deployments and ServiceAccounts
    // in the same file as its Services); reading them must not fail the whole file.
    private static readonly Dictionary<string, string[]> Unused = new(StringComparer.Ordinal)
    {
        ["v1"] = ["ConfigMap", "Secret", "Namespace", "ServiceAccount", "Pod", "Endpoints", "PersistentVolumeClaim", "LimitRange", "ResourceQuota"],
        ["apps"] = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
        ["batch"] = ["Job", "CronJob"],
        ["autoscaling"] = ["HorizontalPodAutoscaler"],
        ["policy"] = ["PodDisruptionBudget"],
        ["discovery.k8s.io"] = ["EndpointSlice"],
        ["networking.k8s.io"] = ["Ingress", "NetworkPolicy"],
        ["rbac.authorization.k8s.io"] = ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"],
        ["networking.istio.io"] = ["Gateway", "Sidecar", "WorkloadGroup", "EnvoyFilter", "ProxyConfig"],
        ["extensions.istio.io"] = ["WasmPlugin"],
        ["gateway.networking.k8s.io"] = ["Gateway", "GatewayClass", "HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute", "ReferenceGrant"],
    };

    public static ResourceKind? Find(string kind) => Supported.FirstOrDefault(k => k.Kind == kind);

    /// <summary>True for a well-known kind Heddle does not read, e.g. <c>apps/v1 Deployment</c>.</summary>
    public static bool IsKnownUnused(string apiVersion, string kind)
    {
        int slash = apiVersion.IndexOf('/');
        string group = slash < 0 ? apiVersion : apiVersion[..slash];
        return Unused.TryGetValue(group, out var kinds) && kinds.Contains(kind);
    }

    public static IEnumerable<string> AllKindNames =>
        Supported.Select(k => k.Kind).Concat(Unused.Values.SelectMany(k => k)).Distinct();
}
