namespace Heddle.Config.Model;

/// <summary>Selects workloads by labels (<c>matchLabels</c>), as in policy resources.</summary>
public sealed record WorkloadMatchSelector
{
    /// <summary>Labels a workload must have.</summary>
    public ImmutableSortedDictionary<string, string> MatchLabels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
}
