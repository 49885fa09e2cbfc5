namespace Heddle.Config.Model;

/// <summary>Istio's <c>WorkloadMode</c>.</summary>
public enum TelemetryWorkloadMode
{
    /// <summary>Client and server traffic (the default).</summary>
    ClientAndServer,

    /// <summary>Traffic the workload sends.</summary>
    Client,

    /// <summary>Traffic the workload receives.</summary>
    Server,
}
