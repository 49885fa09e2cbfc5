using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Telemetry.Tracing;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Telemetry;

/// <summary>
/// Applies the access-log and trace-sampling settings of each new snapshot (from Telemetry resources and the mesh
/// config) to the running access log and tracer, without restart; a snapshot without them returns to the proxy's
/// command-line flags.
/// </summary>
internal sealed class TelemetrySettingsApplier(AccessLog accessLog, Tracer tracer, ILogger logger)
{
    public void Apply(ProxySnapshot snapshot)
    {
        var settings = snapshot.Resources.TryGetValue(SnapshotBuilder.SettingsName, out var resource) ? resource.Settings : null;
        Apply(settings);
    }

    public void Apply(ProxySettings? settings)
    {
        accessLog.Configure(settings?.AccessLog is { } log ? AccessLogConfig.From(log) : null);
        if (tracer.ConfigureSampling(settings?.TracingSampling?.Percentage))
        {
            ProxyLog.TraceSamplingConfigured(logger, tracer.SamplingPercent);
        }
    }
}
