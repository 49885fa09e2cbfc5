using System.Collections.Immutable;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Registry;

/// <summary>The pods whose proxies are connected right now; the source of LocalWorkload endpoints.</summary>
/// <remarks>A proxy that reconnects under the same id replaces its earlier registration; the earlier stream ending
/// later must not remove the newer one, so every registration carries its own <see cref="Registration"/> handle.</remarks>
public sealed class PodRegistry
{
    private readonly Lock _lock = new();
    private ImmutableSortedDictionary<string, Entry> _pods = ImmutableSortedDictionary.Create<string, Entry>(StringComparer.Ordinal);
    private ImmutableArray<ConnectedPod> _snapshot = [];

    /// <summary>Raised after every change that affects endpoints (a pod added, removed, or its health changed).</summary>
    public event Action? Changed;

    /// <summary>The connected pods, sorted by id.</summary>
    public ImmutableArray<ConnectedPod> Pods
    {
        get
        {
            lock (_lock)
            {
                return _snapshot;
            }
        }
    }

    public Registration Register(ConnectedPod pod)
    {
        var registration = new Registration(pod.Id);
        lock (_lock)
        {
            _pods = _pods.SetItem(pod.Id, new Entry(pod, registration));
            Publish();
        }

        Changed?.Invoke();
        return registration;
    }

    /// <summary>Records a new health for the registration; returns false when nothing changed.</summary>
    public bool UpdateHealth(Registration registration, WorkloadHealth health)
    {
        lock (_lock)
        {
            if (!_pods.TryGetValue(registration.Id, out var entry) || entry.Registration != registration || entry.Pod.Health == health)
            {
                return false;
            }

            _pods = _pods.SetItem(registration.Id, entry with { Pod = entry.Pod with { Health = health } });
            Publish();
        }

        Changed?.Invoke();
        return true;
    }

    /// <summary>Removes the pod if this registration is still the current one for its id.</summary>
    public bool Unregister(Registration registration)
    {
        lock (_lock)
        {
            if (!_pods.TryGetValue(registration.Id, out var entry) || entry.Registration != registration)
            {
                return false;
            }

            _pods = _pods.Remove(registration.Id);
            Publish();
        }

        Changed?.Invoke();
        return true;
    }

    private void Publish()
    {
        var builder = ImmutableArray.CreateBuilder<ConnectedPod>(_pods.Count);
        foreach (var entry in _pods.Values)
        {
            builder.Add(entry.Pod);
        }

        _snapshot = builder.MoveToImmutable();
    }

    /// <summary>One proxy stream's claim on a pod id.</summary>
    public sealed class Registration
    {
        internal Registration(string id) => Id = id;

        public string Id { get; }
    }

    private sealed record Entry(ConnectedPod Pod, Registration Registration);
}
