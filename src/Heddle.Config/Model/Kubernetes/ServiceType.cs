using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Kubernetes Service types.</summary>
[AsWrittenEnum]
public enum ServiceType
{
    /// <summary>A virtual IP inside the cluster (the default).</summary>
    ClusterIP,

    /// <summary>ClusterIP plus a port on every node.</summary>
    NodePort,

    /// <summary>NodePort plus a cloud load balancer.</summary>
    LoadBalancer,

    /// <summary>A DNS alias for <see cref="ServiceSpec.ExternalName"/>.</summary>
    ExternalName,
}
