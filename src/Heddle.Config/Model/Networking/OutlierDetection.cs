using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Ejects endpoints that keep failing from the load balancing pool for a while.</summary>
public sealed record OutlierDetection
{
    /// <summary>Deprecated; use <see cref="Consecutive5xxErrors"/>.</summary>
    [Deprecated("use consecutive5xxErrors")]
    public int? ConsecutiveErrors { get; init; }

    /// <summary>Count local-origin failures (connect errors, timeouts) separately from responses.</summary>
    public bool? SplitExternalLocalOriginErrors { get; init; }

    /// <summary>Local-origin failures before ejection.</summary>
    public int? ConsecutiveLocalOriginFailures { get; init; }

    /// <summary>502/503/504 responses or connect errors before ejection.</summary>
    public int? ConsecutiveGatewayErrors { get; init; }

    /// <summary>5xx responses before ejection.</summary>
    public int? Consecutive5xxErrors { get; init; }

    /// <summary>Time between ejection sweeps.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Minimum ejection time, multiplied by the number of ejections.</summary>
    public TimeSpan? BaseEjectionTime { get; init; }

    /// <summary>Maximum share of endpoints ejected, in percent.</summary>
    [Between(0, 100)]
    public int? MaxEjectionPercent { get; init; }

    /// <summary>Outlier detection is off while fewer endpoints than this share are healthy, in percent.</summary>
    [Between(0, 100)]
    public int? MinHealthPercent { get; init; }

    /// <summary>Status codes counted as errors.</summary>
    [Between(100, 599)]
    public ImmutableArray<int> OutlierDetectionHttpErrorCodes { get; init; } = [];
}
