using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A workload's address, ports and labels: the spec of a WorkloadEntry and a ServiceEntry endpoint.</summary>
public sealed record WorkloadEntrySpec
{
    /// <summary>IP address, DNS name or <c>unix://</c> socket.</summary>
    public string? Address { get; init; }

    /// <summary>Port name (from the service) to the workload's port number.</summary>
    [PortNumber]
    public ImmutableSortedDictionary<string, int> Ports { get; init; } = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);

    /// <summary>Labels of the workload.</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Network the workload is in.</summary>
    public string? Network { get; init; }

    /// <summary>"region/zone/subzone".</summary>
    public string? Locality { get; init; }

    /// <summary>Load balancing weight.</summary>
    public int? Weight { get; init; }

    /// <summary>Service account the workload runs as.</summary>
    public string? ServiceAccount { get; init; }
}
