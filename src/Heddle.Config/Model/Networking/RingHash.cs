namespace Heddle.Config.Model;

/// <summary>Ring hash settings.</summary>
public sealed record RingHash
{
    /// <summary>Minimum number of virtual nodes on the ring.</summary>
    public long? MinimumRingSize { get; init; }
}
