using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>The spec of a ServiceEntry.</summary>
public sealed record ServiceEntrySpec
{
    /// <summary>Host names of the service, used as written (wildcard prefixes allowed).</summary>
    [Required]
    public ImmutableArray<string> Hosts { get; init; } = [];

    /// <summary>Virtual IPs or CIDRs of the service.</summary>
    public ImmutableArray<string> Addresses { get; init; } = [];

    /// <summary>Ports of the service.</summary>
    public ImmutableArray<ServiceEntryPort> Ports { get; init; } = [];

    /// <summary>Whether the service is outside or inside the mesh.</summary>
    public ServiceEntryLocation? Location { get; init; }

    /// <summary>How endpoints are found.</summary>
    public ServiceEntryResolution? Resolution { get; init; }

    /// <summary>Static endpoints.</summary>
    [OneOf("endpointSource")]
    public ImmutableArray<WorkloadEntrySpec> Endpoints { get; init; } = [];

    /// <summary>Selects WorkloadEntries (and workloads) as endpoints instead.</summary>
    [OneOf("endpointSource")]
    public WorkloadSelector? WorkloadSelector { get; init; }

    /// <summary>Namespaces the resource is visible to.</summary>
    public ImmutableArray<string> ExportTo { get; init; } = [];

    /// <summary>Accepted server identities.</summary>
    public ImmutableArray<string> SubjectAltNames { get; init; } = [];
}
