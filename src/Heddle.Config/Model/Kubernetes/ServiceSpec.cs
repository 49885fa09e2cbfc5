using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>The spec of a Kubernetes Service. Heddle uses selector and ports; the other fields are accepted as Kubernetes defines them.</summary>
public sealed record ServiceSpec
{
    /// <summary>Ports the service exposes.</summary>
    [Required]
    public ImmutableArray<ServicePort> Ports { get; init; } = [];

    /// <summary>Workloads whose labels contain all of these are the service's endpoints; empty selects none.</summary>
    public ImmutableSortedDictionary<string, string> Selector { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>The service type; <see cref="ServiceType.ClusterIP"/> when absent.</summary>
    public ServiceType? Type { get; init; }

    /// <summary>The cluster IP, or "None" for a headless service.</summary>
    public string? ClusterIP { get; init; }

    /// <summary>Cluster IPs for dual-stack services.</summary>
    public ImmutableArray<string> ClusterIPs { get; init; } = [];

    /// <summary>External IPs that also route to the service.</summary>
    public ImmutableArray<string> ExternalIPs { get; init; } = [];

    /// <summary>The DNS name an ExternalName service aliases.</summary>
    public string? ExternalName { get; init; }

    /// <summary>"None" or "ClientIP".</summary>
    [AllowedValues("None", "ClientIP")]
    public string? SessionAffinity { get; init; }

    /// <summary>Client-IP affinity settings.</summary>
    public SessionAffinityConfig? SessionAffinityConfig { get; init; }

    /// <summary>Requested load balancer IP (deprecated in Kubernetes).</summary>
    public string? LoadBalancerIP { get; init; }

    /// <summary>Client CIDRs allowed through a cloud load balancer.</summary>
    public ImmutableArray<string> LoadBalancerSourceRanges { get; init; } = [];

    /// <summary>The load balancer implementation class.</summary>
    public string? LoadBalancerClass { get; init; }

    /// <summary>Whether NodePorts are allocated for a LoadBalancer service.</summary>
    public bool? AllocateLoadBalancerNodePorts { get; init; }

    /// <summary>"Cluster" or "Local".</summary>
    [AllowedValues("Cluster", "Local")]
    public string? ExternalTrafficPolicy { get; init; }

    /// <summary>"Cluster" or "Local".</summary>
    [AllowedValues("Cluster", "Local")]
    public string? InternalTrafficPolicy { get; init; }

    /// <summary>Health check node port for <c>externalTrafficPolicy: Local</c>.</summary>
    [PortNumber]
    public int? HealthCheckNodePort { get; init; }

    /// <summary>Whether endpoints that are not ready are published.</summary>
    public bool? PublishNotReadyAddresses { get; init; }

    /// <summary>IP families, "IPv4" and/or "IPv6".</summary>
    [AllowedValues("IPv4", "IPv6")]
    public ImmutableArray<string> IpFamilies { get; init; } = [];

    /// <summary>"SingleStack", "PreferDualStack" or "RequireDualStack".</summary>
    [AllowedValues("SingleStack", "PreferDualStack", "RequireDualStack")]
    public string? IpFamilyPolicy { get; init; }

    /// <summary>Traffic distribution preference, e.g. "PreferClose".</summary>
    public string? TrafficDistribution { get; init; }
}
