namespace Heddle.Config.Model;

/// <summary>Maglev hash settings.</summary>
public sealed record Maglev
{
    /// <summary>Lookup table size (a prime).</summary>
    public long? TableSize { get; init; }
}
