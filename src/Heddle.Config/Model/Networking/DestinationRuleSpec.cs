using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>The spec of a DestinationRule.</summary>
public sealed record DestinationRuleSpec
{
    /// <summary>The service host; Kubernetes short names resolve in the resource's namespace.</summary>
    [Required]
    public string Host { get; init; } = "";

    /// <summary>Policies for all traffic to the host.</summary>
    public TrafficPolicy? TrafficPolicy { get; init; }

    /// <summary>Named groups of endpoints, selected by labels.</summary>
    public ImmutableArray<Subset> Subsets { get; init; } = [];

    /// <summary>Namespaces the resource is visible to.</summary>
    public ImmutableArray<string> ExportTo { get; init; } = [];

    /// <summary>Workloads the rule applies to (as clients); all when absent.</summary>
    public WorkloadMatchSelector? WorkloadSelector { get; init; }
}
