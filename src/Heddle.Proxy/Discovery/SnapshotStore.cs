namespace Heddle.Proxy.Discovery;

/// <summary>Holds the snapshot the proxy serves. Readers take it with one volatile read; the discovery client replaces it whole.</summary>
internal sealed class SnapshotStore
{
    private readonly TaskCompletionSource _firstApplied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ProxySnapshot _current = ProxySnapshot.Empty;

    public ProxySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Whether a configuration from the control plane has been applied.</summary>
    public bool HasConfig => _firstApplied.Task.IsCompleted;

    /// <summary>Completes when the first configuration has been applied.</summary>
    public Task FirstApplied => _firstApplied.Task;

    /// <summary>Called with each snapshot right after it is published (settings that live outside the snapshot).</summary>
    public event Action<ProxySnapshot>? Published;

    public void Publish(ProxySnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        Published?.Invoke(snapshot);
        _firstApplied.TrySetResult();
    }
}
