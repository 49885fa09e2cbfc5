namespace Heddle.Config.Model;

/// <summary>A failover path between regions.</summary>
public sealed record LocalityFailover
{
    /// <summary>Origin region.</summary>
    public string? From { get; init; }

    /// <summary>Region to fail over to.</summary>
    public string? To { get; init; }
}
