using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A delay injected into a share of requests.</summary>
public sealed record FaultDelay
{
    /// <summary>Deprecated integer percentage; use <see cref="Percentage"/>.</summary>
    [Between(0, 100), Deprecated("use percentage")]
    public int? Percent { get; init; }

    /// <summary>A fixed delay.</summary>
    [OneOf("httpDelayType")]
    public TimeSpan? FixedDelay { get; init; }

    /// <summary>An exponential delay (accepted for compatibility; Istio does not implement it either).</summary>
    [OneOf("httpDelayType")]
    public TimeSpan? ExponentialDelay { get; init; }

    /// <summary>Share of requests delayed.</summary>
    public Percent? Percentage { get; init; }
}
