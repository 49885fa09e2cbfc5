using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Conditions on a TLS connection.</summary>
public sealed record TlsMatchAttributes
{
    /// <summary>SNI values to match (wildcards allowed).</summary>
    [Required]
    public ImmutableArray<string> SniHosts { get; init; } = [];

    /// <summary>Destination IP subnets.</summary>
    public ImmutableArray<string> DestinationSubnets { get; init; } = [];

    /// <summary>Destination port.</summary>
    [PortNumber]
    public int? Port { get; init; }

    /// <summary>Labels the calling workload must have.</summary>
    public ImmutableSortedDictionary<string, string> SourceLabels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Gateways the match applies to.</summary>
    public ImmutableArray<string> Gateways { get; init; } = [];

    /// <summary>Namespace the calling workload must be in.</summary>
    public string? SourceNamespace { get; init; }
}
