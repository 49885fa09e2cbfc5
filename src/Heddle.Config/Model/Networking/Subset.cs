using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A named group of a service's endpoints (e.g. a version), selected by labels.</summary>
public sealed record Subset
{
    /// <summary>The subset name, referenced by route destinations.</summary>
    [Required, Dns1123Label]
    public string Name { get; init; } = "";

    /// <summary>Labels an endpoint must have to belong to the subset.</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Policies that override the rule's for this subset.</summary>
    public TrafficPolicy? TrafficPolicy { get; init; }
}
