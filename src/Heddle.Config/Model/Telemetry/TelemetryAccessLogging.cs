namespace Heddle.Config.Model;

/// <summary>Istio's <c>AccessLogging</c>: which providers log, whether logging is disabled, and a filter.</summary>
public sealed record TelemetryAccessLogging
{
    /// <summary>The providers that write the log; empty: the mesh's default providers.</summary>
    public ImmutableArray<TelemetryProviderRef> Providers { get; init; } = [];

    /// <summary>True turns access logging off for the selected workloads.</summary>
    public bool? Disabled { get; init; }

    /// <summary>A CEL expression a request must satisfy to be logged.</summary>
    public TelemetryAccessLogFilter? Filter { get; init; }

    /// <summary>Which traffic (CLIENT, SERVER or both) this entry configures.</summary>
    public TelemetryWorkloadModeSelector? Match { get; init; }
}
