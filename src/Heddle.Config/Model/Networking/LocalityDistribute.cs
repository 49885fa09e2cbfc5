namespace Heddle.Config.Model;

/// <summary>Traffic shares from one locality to others.</summary>
public sealed record LocalityDistribute
{
    /// <summary>Origin locality, "region/zone/subzone", wildcards allowed.</summary>
    public string? From { get; init; }

    /// <summary>Destination localities and their weights (summing to 100).</summary>
    public ImmutableSortedDictionary<string, int> To { get; init; } = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);
}
