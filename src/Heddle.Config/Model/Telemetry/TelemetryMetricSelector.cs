namespace Heddle.Config.Model;

/// <summary>Istio's <c>MetricSelector</c>.</summary>
public sealed record TelemetryMetricSelector
{
    /// <summary>A standard metric, e.g. REQUEST_COUNT.</summary>
    public string? Metric { get; init; }

    /// <summary>A custom metric's name.</summary>
    public string? CustomMetric { get; init; }

    /// <summary>CLIENT, SERVER or CLIENT_AND_SERVER.</summary>
    public TelemetryWorkloadMode? Mode { get; init; }
}
