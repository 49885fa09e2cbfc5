namespace Heddle.Config.Model;

/// <summary>Istio's <c>Telemetry</c> spec: which workloads it applies to and its access-logging, tracing and metrics
/// settings.</summary>
public sealed record TelemetrySpec
{
    /// <summary>The workloads of the resource's namespace it applies to; absent: the whole namespace (the whole mesh in
    /// the root namespace).</summary>
    public WorkloadMatchSelector? Selector { get; init; }

    /// <summary>Access-logging settings; the first entry without <c>match</c> (or matching ALL_MODES) applies.</summary>
    public ImmutableArray<TelemetryAccessLogging> AccessLogging { get; init; } = [];

    /// <summary>Tracing settings.</summary>
    public ImmutableArray<TelemetryTracing> Tracing { get; init; } = [];

    /// <summary>Metrics settings (read, not applied).</summary>
    public ImmutableArray<TelemetryMetrics> Metrics { get; init; } = [];
}
