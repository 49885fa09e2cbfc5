using Heddle.Discovery.V1;

namespace Heddle.Proxy.Health;

/// <summary>The application's readiness as the probe last saw it, with a task that completes on the next change.</summary>
internal sealed class AppHealth
{
    private readonly object _gate = new();
    private WorkloadHealth _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="hasProbe">Without a probe the application counts as healthy as soon as the proxy is up.</param>
    public AppHealth(bool hasProbe) =>
        _current = hasProbe ? WorkloadHealth.Unknown : WorkloadHealth.Healthy;

    public WorkloadHealth Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public bool IsHealthy => Current == WorkloadHealth.Healthy;

    /// <summary>Completes the next time <see cref="Current"/> changes.</summary>
    public Task WhenChanged
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public void Set(WorkloadHealth health)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_current == health)
            {
                return;
            }

            _current = health;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
