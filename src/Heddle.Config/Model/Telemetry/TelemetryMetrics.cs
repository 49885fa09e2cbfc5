namespace Heddle.Config.Model;

/// <summary>Istio's <c>Metrics</c> (read so that such resources load; Heddle does not apply them).</summary>
public sealed record TelemetryMetrics
{
    /// <summary>The metrics providers.</summary>
    public ImmutableArray<TelemetryProviderRef> Providers { get; init; } = [];

    /// <summary>Per-metric overrides.</summary>
    public ImmutableArray<TelemetryMetricsOverride> Overrides { get; init; } = [];

    /// <summary>How often metrics are reported.</summary>
    public TimeSpan? ReportingInterval { get; init; }
}
