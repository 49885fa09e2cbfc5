using Heddle.ControlPlane.Discovery;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.Config.Model;
using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane.Push;

/// <summary>Recomputes every connected proxy's snapshot after a burst of configuration or pod changes (debounced) and
/// offers it to the proxy's stream, which sends only what changed, and nothing when the snapshot is the same.</summary>
/// <remarks>
/// A control plane that starts while proxies are running (a restart) knows no pods until their proxies reconnect.
/// During a warm-up — until no proxy has connected for <see cref="WarmUpQuiet"/>, at most <see cref="WarmUpMax"/> —
/// proxies that come back with a configuration keep serving it and get nothing, so that none of them is pushed an
/// endpoint list that only lacks the pods whose proxies have not reconnected yet. Proxies without a configuration
/// are served at once.
/// </remarks>
public sealed class PushCoordinator : IDisposable
{
    /// <summary>How long a burst must be quiet before a push, and the longest a push waits after the first change.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    /// <summary>The warm-up after start: longer than a reconnecting proxy's first backoff, short enough not to delay a fresh mesh.</summary>
    public static readonly TimeSpan WarmUpQuiet = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan WarmUpMax = TimeSpan.FromSeconds(5);

    private readonly PodRegistry _pods;
    private readonly ProxyConnections _connections;
    private readonly ILogger _logger;
    private readonly Debouncer _debouncer;
    private readonly Debouncer _warmUp;
    private volatile bool _warm;
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
        _warmUp = new Debouncer(WarmUpQuiet, WarmUpMax, time, EndWarmUp);
        _warmUp.Signal();
    }

    /// <summary>Whether the warm-up after start is over.</summary>
    public bool IsWarm => _warm;

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
        if (!_warm && connection.ResumedVersion.Length > 0)
        {
            _warmUp.Signal();
            return;
        }

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
                    if (!_warm && connection.ResumedVersion.Length > 0 && !connection.HasLatest)
                    {
                        continue;
                    }

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

    private void EndWarmUp()
    {
        if (_warm)
        {
            return;
        }

        _warm = true;
        PushAll();
    }

    public void Dispose()
    {
        _pods.Changed -= _debouncer.Signal;
        _debouncer.Dispose();
        _warmUp.Dispose();
    }
}
