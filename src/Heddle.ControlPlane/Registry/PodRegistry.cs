using System.Collections.Immutable;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Registry;

/// <summary>The pods of the mesh, as their proxies describe them; the source of LocalWorkload endpoints.</summary>
/// <remarks>
/// A pod joins when its proxy connects. A proxy that ends its stream in an orderly way (it is shutting down) leaves at
/// once. A proxy whose stream breaks, or a pod restored from a saved registry when the control plane starts, stays an
/// endpoint for <see cref="ReconnectGrace"/>, so that a control-plane restart or a network blip moves no traffic;
/// it is removed when the grace runs out before its proxy is back.
/// A proxy that reconnects under the same id replaces its earlier registration; the earlier stream ending later must
/// not remove the newer one, so every registration carries its own <see cref="Registration"/> handle.
/// </remarks>
public sealed class PodRegistry
{
    /// <summary>Longer than a proxy's longest reconnect backoff (5 s), so that every live proxy is back in time.</summary>
    public static readonly TimeSpan ReconnectGrace = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private ImmutableSortedDictionary<string, Entry> _pods = ImmutableSortedDictionary.Create<string, Entry>(StringComparer.Ordinal);
    private ImmutableArray<ConnectedPod> _snapshot = [];

    public PodRegistry(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Raised after every change that affects endpoints (a pod added, removed, or its health changed).</summary>
    public event Action? Changed;

    /// <summary>The pods, connected or within their reconnect grace, sorted by id.</summary>
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

    /// <summary>How many of <see cref="Pods"/> have a connected proxy.</summary>
    public int ConnectedCount
    {
        get
        {
            lock (_lock)
            {
                var count = 0;
                foreach (var entry in _pods.Values)
                {
                    count += entry.Registration is null ? 0 : 1;
                }

                return count;
            }
        }
    }

    public Registration Register(ConnectedPod pod)
    {
        var registration = new Registration(pod.Id);
        lock (_lock)
        {
            if (_pods.TryGetValue(pod.Id, out var previous))
            {
                previous.Expiry?.Dispose();
            }

            _pods = _pods.SetItem(pod.Id, new Entry(pod, registration, null));
            Publish();
        }

        Changed?.Invoke();
        return registration;
    }

    /// <summary>Adds pods known before this control plane started (a saved registry); each stays for the reconnect
    /// grace unless its proxy connects. Pods already registered are left as they are.</summary>
    public void Restore(IEnumerable<ConnectedPod> pods)
    {
        var changed = false;
        lock (_lock)
        {
            foreach (var pod in pods)
            {
                if (_pods.ContainsKey(pod.Id))
                {
                    continue;
                }

                _pods = _pods.SetItem(pod.Id, new Entry(pod, null, StartExpiry(pod.Id)));
                changed = true;
            }

            Publish();
        }

        if (changed)
        {
            Changed?.Invoke();
        }
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

    /// <summary>The proxy said goodbye: removes the pod now, if this registration is still the current one.</summary>
    public bool Leave(Registration registration)
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

    /// <summary>The proxy's stream broke: the pod stays for the reconnect grace, if this registration is still the
    /// current one. Endpoints do not change, so nothing is raised.</summary>
    public bool Disconnect(Registration registration)
    {
        lock (_lock)
        {
            if (!_pods.TryGetValue(registration.Id, out var entry) || entry.Registration != registration)
            {
                return false;
            }

            _pods = _pods.SetItem(registration.Id, new Entry(entry.Pod, null, StartExpiry(registration.Id)));
            return true;
        }
    }

    private Expiry StartExpiry(string id)
    {
        var expiry = new Expiry(this, id);
        expiry.Timer = _time.CreateTimer(static state => ((Expiry)state!).Fire(), expiry, ReconnectGrace, Timeout.InfiniteTimeSpan);
        return expiry;
    }

    private void Expire(Expiry expiry)
    {
        lock (_lock)
        {
            // A stale expiry (the pod reconnected, perhaps broke again with a new expiry) removes nothing.
            if (!_pods.TryGetValue(expiry.Id, out var entry) || entry.Expiry != expiry)
            {
                return;
            }

            _pods = _pods.Remove(expiry.Id);
            Publish();
        }

        expiry.Dispose();
        Changed?.Invoke();
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

        /// <summary>A claim the registry never holds: its pod is no endpoint, and leaving or reporting health changes nothing.</summary>
        public static Registration Unlisted(string id) => new(id);

        public string Id { get; }
    }

    /// <param name="Registration">The connected proxy's stream; null while the pod waits for its proxy.</param>
    /// <param name="Expiry">Removes the pod when the wait is over; null while connected.</param>
    private sealed record Entry(ConnectedPod Pod, Registration? Registration, Expiry? Expiry);

    private sealed class Expiry(PodRegistry registry, string id) : IDisposable
    {
        public string Id { get; } = id;

        public ITimer? Timer { get; set; }

        public void Fire() => registry.Expire(this);

        public void Dispose() => Timer?.Dispose();
    }
}
