using Heddle.Benchmarks.Runner.Load;
using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>A started case: where load goes, which proxy processes to measure, and how to stop them.</summary>
internal sealed class RunningTopology(LoadTarget target, IReadOnlyList<MeasuredProcess> proxies, Func<ValueTask> stop) : IAsyncDisposable
{
    public LoadTarget Target { get; } = target;

    public IReadOnlyList<MeasuredProcess> Proxies { get; } = proxies;

    /// <summary>Processes of the case that are not on the request path (Heddle's control plane): the runner waits for
    /// them to go quiet before the warm-up and reports their CPU during the window.</summary>
    public IReadOnlyList<MeasuredProcess> Background { get; init; } = [];

    /// <summary>How long a fresh request may take to pass (routes and endpoints may still be propagating).</summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Facts worth a line in the report (e.g. whether a metrics endpoint answered).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Extra measurement run after the load, while the topology is still up (Heddle: sidecar start-up time).</summary>
    public Func<CancellationToken, Task<StartupMeasurement>>? MeasureStartup { get; init; }

    public ValueTask DisposeAsync() => stop();
}
