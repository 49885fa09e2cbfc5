namespace Heddle.Config.Model;

/// <summary>Selects workloads by labels (<c>labels</c>), as in ServiceEntry.</summary>
public sealed record WorkloadSelector
{
    /// <summary>Labels a workload must have.</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}
