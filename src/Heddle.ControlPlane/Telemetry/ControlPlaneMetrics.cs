using System.Diagnostics.Metrics;

namespace Heddle.ControlPlane.Telemetry;

/// <summary>
/// The control plane's own metrics, recorded on a <see cref="Meter"/> named <c>Heddle.ControlPlane</c> (so any
/// System.Diagnostics.Metrics listener — dotnet-counters, OpenTelemetry — can read them too) and served in
/// Prometheus text format on the monitoring endpoint's <c>/metrics</c>.
/// </summary>
/// <remarks>
/// Names follow istiod's where istiod has one, so that dashboards built for istiod find them:
/// <list type="bullet">
/// <item><c>pilot_xds</c> (gauge): proxies connected to this control plane.</item>
/// <item><c>pilot_xds_pushes{result="sent|acked|rejected"}</c> (counter): responses written to proxies, and the proxies' answers.</item>
/// <item><c>pilot_proxy_convergence_time</c> (histogram, seconds, istiod's buckets plus finer ones below 100 ms): from
/// the configuration or pod change a proxy's new snapshot comes from to that proxy's acknowledgement of it.</item>
/// <item><c>pilot_total_xds_rejects</c> (counter): snapshots a proxy rejected (NACK).</item>
/// <item><c>heddle_config_reload_errors{reason="invalid|read"}</c> (counter, no istiod equivalent): reloads of the
/// configuration directory that were not published, because of errors in the files or because it could not be read.</item>
/// <item><c>heddle_config_problems{severity="error|warning"}</c> (gauge, no istiod equivalent): the diagnostics of the latest load.</item>
/// </list>
/// The Prometheus text is written by a small <see cref="MeterListener"/>-based aggregator rather than OpenTelemetry's
/// Prometheus exporter, because that exporter appends <c>_total</c> to counter names (and unit suffixes), which would
/// turn <c>pilot_xds_pushes</c> into a name istiod's dashboards do not query.
/// A control-plane process hosts one control plane and uses <see cref="Shared"/>; tests that need counts of their
/// own pass their own instance.
/// </remarks>
public sealed class ControlPlaneMetrics : IDisposable
{
    public const string MeterName = "Heddle.ControlPlane";

    /// <summary>istiod's buckets for <c>pilot_proxy_convergence_time</c>, with finer ones first: a local mesh converges in milliseconds.</summary>
    private static readonly double[] ConvergenceBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 3, 5, 10, 20, 30];

    private static readonly KeyValuePair<string, object?> Sent = new("result", "sent");
    private static readonly KeyValuePair<string, object?> Acked = new("result", "acked");
    private static readonly KeyValuePair<string, object?> Rejected = new("result", "rejected");
    private static readonly KeyValuePair<string, object?> InvalidConfig = new("reason", "invalid");
    private static readonly KeyValuePair<string, object?> UnreadableConfig = new("reason", "read");
    private static readonly KeyValuePair<string, object?> Errors = new("severity", "error");
    private static readonly KeyValuePair<string, object?> Warnings = new("severity", "warning");

    private readonly Meter _meter;
    private readonly PrometheusExposition _exposition;
    private readonly UpDownCounter<long> _connectedProxies;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _rejects;
    private readonly Histogram<double> _convergence;
    private readonly Counter<long> _reloadErrors;
    private readonly Gauge<long> _problems;
    private long _lastChange;

    public ControlPlaneMetrics(TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        _meter = new Meter(MeterName);
        // Listening starts before the instruments exist, so that no measurement is missed.
        _exposition = new PrometheusExposition(_meter);
        _connectedProxies = _meter.CreateUpDownCounter<long>("pilot_xds", description: "Number of proxies connected to this control plane.");
        _pushes = _meter.CreateCounter<long>("pilot_xds_pushes", description: "Configuration responses sent to proxies, and the proxies' answers (acked or rejected).");
        _convergence = _meter.CreateHistogram(
            "pilot_proxy_convergence_time",
            unit: "s",
            description: "Seconds from a configuration or pod change to the acknowledgement of the proxy snapshot it produced.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ConvergenceBuckets });
        _rejects = _meter.CreateCounter<long>("pilot_total_xds_rejects", description: "Snapshots rejected by proxies (NACK).");
        _reloadErrors = _meter.CreateCounter<long>("heddle_config_reload_errors", description: "Reloads of the configuration directory that were not published (reason: invalid files, or unreadable).");
        _problems = _meter.CreateGauge<long>("heddle_config_problems", description: "Diagnostics of the latest configuration load, by severity.");

        // Every series exists from the start, so that rate() sees the first increment.
        _connectedProxies.Add(0);
        _pushes.Add(0, Sent);
        _pushes.Add(0, Acked);
        _pushes.Add(0, Rejected);
        _rejects.Add(0);
        _reloadErrors.Add(0, InvalidConfig);
        _reloadErrors.Add(0, UnreadableConfig);
    }

    /// <summary>The process's metrics, used by the control plane unless it is given its own.</summary>
    public static ControlPlaneMetrics Shared { get; } = new();

    /// <summary>The clock of <c>pilot_proxy_convergence_time</c>.</summary>
    public TimeProvider Time { get; }

    /// <summary>When the configuration or the set of pods last changed (a <see cref="TimeProvider"/> timestamp, 0: never).</summary>
    public long LastChangeTimestamp => Volatile.Read(ref _lastChange);

    public void ProxyConnected() => _connectedProxies.Add(1);

    public void ProxyDisconnected() => _connectedProxies.Add(-1);

    public void PushSent() => _pushes.Add(1, Sent);

    /// <param name="convergence">Set when the acknowledged snapshot is the latest one the proxy should have.</param>
    public void PushAcked(TimeSpan? convergence)
    {
        _pushes.Add(1, Acked);
        if (convergence is { } elapsed)
        {
            _convergence.Record(elapsed.TotalSeconds);
        }
    }

    public void PushRejected()
    {
        _pushes.Add(1, Rejected);
        _rejects.Add(1);
    }

    /// <summary>Marks a change that will reach proxies: a configuration published, a pod that came, went or changed health.</summary>
    public void Changed() => Volatile.Write(ref _lastChange, Time.GetTimestamp());

    /// <param name="unreadable">True when the directory could not be read; false when its files have errors.</param>
    public void ConfigReloadFailed(bool unreadable) => _reloadErrors.Add(1, unreadable ? UnreadableConfig : InvalidConfig);

    public void ConfigProblems(int errors, int warnings)
    {
        _problems.Record(errors, Errors);
        _problems.Record(warnings, Warnings);
    }

    /// <summary>Writes every metric in Prometheus text exposition format 0.0.4.</summary>
    public void WritePrometheus(TextWriter output) => _exposition.Write(output);

    public void Dispose()
    {
        _exposition.Dispose();
        _meter.Dispose();
    }
}
