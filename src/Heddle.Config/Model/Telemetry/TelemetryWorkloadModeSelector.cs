namespace Heddle.Config.Model;

/// <summary>Istio's <c>WorkloadSelector</c> of a telemetry entry: <c>mode</c> is CLIENT, SERVER or CLIENT_AND_SERVER.</summary>
public sealed record TelemetryWorkloadModeSelector
{
    /// <summary>The traffic the entry applies to.</summary>
    public TelemetryWorkloadMode? Mode { get; init; }
}
