using Heddle.ControlPlane.Discovery;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.Config.Model;
using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane.Push;

/// <summary>Recomputes every connected proxy's snapshot after a burst of configuration or pod changes (debounced) and
/// offers it to the proxy's stream, which sends only what changed, and nothing when the snapshot is the same.</summary>
/// <remarks>A restarted control plane knows the pods from its saved registry (<see cref="PodRegistryFile"/>), so a
/// proxy that reconnects is served at once with the same endpoints it already had.</remarks>
public sealed class PushCoordinator : IDisposable
{
    /// <summary>How long a burst must be quiet before a push, and the longest a push waits after the first change.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private readonly PodRegistry _pods;
    private readonly ProxyConnections _connections;
    private readonly ILogger _logger;
    private readonly Debouncer _debouncer;
    // Snapshots are computed under this lock, so that a proxy never gets an older snapshot after a newer one.
    private readonly Lock _computeLock = new();
    private ConfigSet _config;

    public PushCoordinator(ConfigSet initialConfig, PodRegistry pods, ProxyConnections connections, TimeProvider time, ILogger<PushCoordinator> logger)
    {
        _config = initialConfig;
        _pods = pods;
        _connections = connections;
        _logger = logger;
        _debouncer = new Debouncer(Quiet, MaxDelay, time, PushAll);
        _pods.Changed += _debouncer.Signal;
    }

    public ConfigSet Config => Volatile.Read(ref _config);

    /// <summary>Serves a new configuration: every proxy gets it after the current burst of changes.</summary>
    public void UpdateConfig(ConfigSet config)
    {
        Volatile.Write(ref _config, config);
        _debouncer.Signal();
    }

    /// <summary>Computes one proxy's snapshot now (a proxy that just connected does not wait for the debouncer).</summary>
    public void Refresh(ProxyConnection connection)
    {
        lock (_computeLock)
        {
            var catalog = EndpointCatalog.Build(Config, _pods.Pods);
            connection.SetLatest(SnapshotBuilder.Build(catalog, connection.Node));
        }
    }

    private void PushAll()
    {
        try
        {
            lock (_computeLock)
            {
                var catalog = EndpointCatalog.Build(Config, _pods.Pods);
                foreach (var connection in _connections.All)
                {
                    connection.SetLatest(SnapshotBuilder.Build(catalog, connection.Node));
                }
            }
        }
        catch (Exception exception)
        {
            // A bug in snapshot building must not stop later pushes; the proxies keep their last snapshot.
            Log.PushFailed(_logger, exception);
        }
    }

    public void Dispose()
    {
        _pods.Changed -= _debouncer.Signal;
        _debouncer.Dispose();
    }
}
