namespace Heddle.Cli.LocalMesh;

/// <summary>
/// Runs a <see cref="MeshPlan"/>: starts the control plane and waits until it is ready, starts every pod's
/// sidecar and workload, reports each pod when its sidecar becomes ready and <c>mesh ready</c> once all are,
/// keeps <c>mesh.json</c> current, and on stop takes everything down in reverse order — workloads, sidecars,
/// control plane — leaving no process behind.
/// </summary>
internal sealed class MeshSupervisor
{
    private static readonly TimeSpan ControlPlaneStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often sidecars' readiness is checked once the mesh is ready: a change is still reported within a
    /// second, without waking every sidecar four times a second for hours.</summary>
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan SlowPodWarning = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly MeshPlan _plan;
    private readonly RunDirectory _runDirectory;
    private readonly LogMultiplexer _log;
    private readonly TimeProvider _time;
    private readonly Prober _prober;
    private readonly ControlPlaneClient _controlPlaneClient;
    private readonly Lock _stateLock = new();
    private readonly SupervisedProcess _controlPlane;
    private readonly SupervisedProcess[] _sidecars;
    private readonly SupervisedProcess[] _workloads;
    private MeshState _state;
    private bool _published;

    public MeshSupervisor(MeshPlan plan, RunDirectory runDirectory, LogMultiplexer log, Prober prober, TimeProvider time)
    {
        _plan = plan;
        _runDirectory = runDirectory;
        _log = log;
        _time = time;
        _prober = prober;
        _controlPlaneClient = new ControlPlaneClient(prober.Client, plan.Monitoring);
        _state = new MeshState
        {
            Pid = Environment.ProcessId,
            ConfigDirectory = plan.ConfigDirectory,
            Cidr = plan.Addresses.Cidr,
            ControlPlane = new ControlPlaneState { Discovery = plan.Discovery, Monitoring = plan.Monitoring },
            Pods = [.. plan.Pods.Select(p => p.State)],
            StartedAt = time.GetUtcNow(),
        };

        log.Register("control-plane");
        foreach (var pod in plan.Pods)
        {
            log.Register(pod.Source);
            log.Register(pod.SidecarSource);
        }

        _controlPlane = new SupervisedProcess("control-plane", plan.ControlPlane, log, time, StopGrace);
        _controlPlane.PidChanged += p => UpdateState(s => s with { ControlPlane = s.ControlPlane with { Pid = p.Pid } });
        _sidecars = new SupervisedProcess[plan.Pods.Count];
        _workloads = new SupervisedProcess[plan.Pods.Count];
        for (int i = 0; i < plan.Pods.Count; i++)
        {
            int index = i;
            var pod = plan.Pods[i];
            _sidecars[i] = new SupervisedProcess(pod.SidecarSource, pod.Sidecar, log, time, StopGrace);
            _sidecars[i].PidChanged += p => UpdatePod(index, s => s with { SidecarPid = p.Pid });
            _workloads[i] = new SupervisedProcess(pod.Source, pod.Workload, log, time, StopGrace);
            _workloads[i].PidChanged += p => UpdatePod(index, s => s with { Pid = p.Pid });
        }
    }

    /// <summary>The state as published in <c>mesh.json</c>.</summary>
    public MeshState State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    /// <summary>Runs the mesh until <paramref name="stopping"/> fires; returns the exit code for <c>heddle up</c>.</summary>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        using var stopControlPlane = new CancellationTokenSource();
        using var stopSidecars = new CancellationTokenSource();
        using var stopWorkloads = new CancellationTokenSource();
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var controlPlane = Task.CompletedTask;
        var sidecars = new List<Task>();
        var workloads = new List<Task>();
        try
        {
            // Published from the start, so that a second `heddle up` on this run directory sees this one.
            lock (_stateLock)
            {
                _published = true;
                _runDirectory.Write(_state);
            }

            controlPlane = _controlPlane.RunAsync(stopControlPlane.Token);
            _log.Event($"starting control plane on {_plan.Discovery} (monitoring {_plan.Monitoring}), config {_plan.ConfigDirectory}");
            bool ready = await _prober.WaitReadyAsync(_controlPlaneClient.ReadyUri, ControlPlaneStartTimeout, PollInterval, stopping).ConfigureAwait(false);
            if (!ready)
            {
                _log.Event($"error: the control plane did not become ready on {_controlPlaneClient.ReadyUri} within {ControlPlaneStartTimeout.TotalSeconds:0}s");
                return 1;
            }

            _log.Event($"ready  control-plane  {_plan.Discovery}");
            for (int i = 0; i < _plan.Pods.Count; i++)
            {
                sidecars.Add(_sidecars[i].RunAsync(stopSidecars.Token));
                workloads.Add(_workloads[i].RunAsync(stopWorkloads.Token));
            }

            if (_plan.Pods.Count == 0)
            {
                _log.Event("mesh ready (no LocalWorkloads to run)");
            }

            var watcher = WatchReadinessAsync(stopWatching.Token);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await stopWatching.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            _log.Event("stopping: workloads, then sidecars, then the control plane");
            await stopWorkloads.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(workloads).ConfigureAwait(false);
            await stopSidecars.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(sidecars).ConfigureAwait(false);
            await stopControlPlane.CancelAsync().ConfigureAwait(false);
            await controlPlane.ConfigureAwait(false);
            lock (_stateLock)
            {
                _published = false;
                _runDirectory.Delete();
            }

            _log.Event("stopped");
        }
    }

    /// <summary>Kills every process at once, for a user who pressed Ctrl-C a second time.</summary>
    public void KillAll()
    {
        foreach (var process in _workloads.Concat(_sidecars).Append(_controlPlane))
        {
            process.Kill();
        }
    }

    /// <summary>Polls every sidecar's readiness endpoint and reports changes; <c>mesh ready</c> the first time all are ready.</summary>
    private async Task WatchReadinessAsync(CancellationToken stopping)
    {
        var ready = new bool[_plan.Pods.Count];
        var warned = new bool[_plan.Pods.Count];
        bool meshReady = _plan.Pods.Count == 0;
        bool settledBefore = false;
        var started = _time.GetTimestamp();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var probes = _plan.Pods.Select(p => _prober.IsReadyAsync(Prober.SidecarReadiness(p.State.PodIp), stopping)).ToArray();
                bool[] now = await Task.WhenAll(probes).ConfigureAwait(false);
                IReadOnlyList<ProxyStatus>? proxies = null;
                for (int i = 0; i < now.Length; i++)
                {
                    var pod = _plan.Pods[i].State;
                    if (now[i] && !ready[i])
                    {
                        proxies ??= await _controlPlaneClient.GetProxiesAsync(stopping).ConfigureAwait(false);
                        var proxy = proxies?.FirstOrDefault(p => p.PodName == pod.PodName && (p.Namespace.Length == 0 || p.Namespace == pod.Namespace));
                        string config = proxy is { AckedVersion.Length: > 0 } ? $", config {proxy.AckedVersion}" : "";
                        _log.Event($"ready  {pod.PodName}  {pod.PodIp}  sidecar ready{config}");
                    }
                    else if (!now[i] && ready[i])
                    {
                        _log.Event($"not ready  {pod.PodName}  {pod.PodIp}  the sidecar's readiness check fails (process restarting, or its readiness probe fails)");
                    }
                    else if (!now[i] && !warned[i] && !meshReady && _time.GetElapsedTime(started) > SlowPodWarning)
                    {
                        warned[i] = true;
                        _log.Event($"waiting  {pod.PodName}  {pod.PodIp}  not ready after {SlowPodWarning.TotalSeconds:0}s; check its output and its readinessProbe");
                    }

                    ready[i] = now[i];
                }

                if (!meshReady && ready.All(r => r))
                {
                    // Every sidecar is ready; the mesh is ready once every proxy also holds the configuration that
                    // lists every pod, seen on two polls in a row (longer than the control plane's push debounce).
                    var settled = Settled(await _controlPlaneClient.GetProxiesAsync(stopping).ConfigureAwait(false));
                    if (settled && settledBefore)
                    {
                        meshReady = true;
                        _log.Event("mesh ready");
                    }

                    settledBefore = settled;
                }

                await Task.Delay(meshReady ? ReadyPollInterval : PollInterval, _time, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether the control plane sees every pod's proxy healthy and acknowledging its latest configuration.</summary>
    private bool Settled(IReadOnlyList<ProxyStatus>? proxies) =>
        proxies is not null
        && proxies.Count >= _plan.Pods.Count
        && proxies.All(p => p.Status == "SYNCED" && p.Health == "HEALTHY");

    private void UpdatePod(int index, Func<PodState, PodState> update) =>
        UpdateState(s =>
        {
            var pods = s.Pods.ToArray();
            pods[index] = update(pods[index]);
            return s with { Pods = pods };
        });

    private void UpdateState(Func<MeshState, MeshState> update)
    {
        lock (_stateLock)
        {
            _state = update(_state);
            if (_published)
            {
                _runDirectory.Write(_state);
            }
        }
    }
}
