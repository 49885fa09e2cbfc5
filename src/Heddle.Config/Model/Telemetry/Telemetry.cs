namespace Heddle.Config.Model;

/// <summary>Istio <c>Telemetry</c>: access logging, tracing and metrics for the selected workloads.</summary>
public sealed record Telemetry() : Resource<TelemetrySpec>(ApiVersions.IstioTelemetryV1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "Telemetry";

    /// <inheritdoc/>
    public override string Kind => KindName;
}
