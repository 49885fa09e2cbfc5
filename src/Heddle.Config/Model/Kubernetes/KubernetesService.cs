namespace Heddle.Config.Model;

/// <summary>A Kubernetes <c>v1 Service</c>: a name, a label selector and ports — the registry's service definition.</summary>
public sealed record KubernetesService() : Resource<ServiceSpec>(ApiVersions.KubernetesCoreV1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "Service";

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <summary>The service's fully qualified host name, <c>name.namespace.svc.cluster.local</c>.</summary>
    public string Hostname => HostNames.KubernetesFqdn(Metadata.Name, Metadata.Namespace);
}
