using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Slow start: new endpoints get a growing share of traffic during a window.</summary>
public sealed record WarmupConfiguration
{
    /// <summary>The window.</summary>
    [Required]
    public TimeSpan Duration { get; init; }

    /// <summary>Share of its normal weight a new endpoint starts with, in percent.</summary>
    [Between(0, 100)]
    public double? MinimumPercent { get; init; }

    /// <summary>Curve of the ramp-up; 1 is linear.</summary>
    public double? Aggression { get; init; }
}
