namespace Heddle.Config.Model;

/// <summary>Istio's <c>Tracing</c>: the sampling percentage for traces the selected workloads start.</summary>
public sealed record TelemetryTracing
{
    /// <summary>The tracing providers; Heddle uses the proxy's collector.</summary>
    public ImmutableArray<TelemetryProviderRef> Providers { get; init; } = [];

    /// <summary>The percentage (0–100) of new traces that are sampled.</summary>
    public double? RandomSamplingPercentage { get; init; }

    /// <summary>True stops reporting spans (trace headers are still propagated).</summary>
    public bool? DisableSpanReporting { get; init; }

    /// <summary>Which traffic this entry configures.</summary>
    public TelemetryWorkloadModeSelector? Match { get; init; }
}
