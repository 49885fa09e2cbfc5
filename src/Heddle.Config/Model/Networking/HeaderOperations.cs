namespace Heddle.Config.Model;

/// <summary>Header changes: overwrite, append, remove.</summary>
public sealed record HeaderOperations
{
    /// <summary>Headers to overwrite.</summary>
    public ImmutableSortedDictionary<string, string> Set { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Headers to append.</summary>
    public ImmutableSortedDictionary<string, string> Add { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Headers to remove.</summary>
    public ImmutableArray<string> Remove { get; init; } = [];
}
