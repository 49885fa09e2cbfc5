using System.Text.Json;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.LocalMesh;

/// <summary>
/// The supervisor with stand-ins for the control plane and the sidecars: python3's http.server serving files named
/// like their endpoints (<c>/ready</c>, <c>/debug/proxies</c>, <c>/healthz/ready</c>). The real binaries are
/// exercised by <c>UpCommandTests</c>.
/// </summary>
public sealed class MeshSupervisorTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("heddle-supervisor-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_EverythingReady_ReportsEachPodThenMeshReadyAndPublishesState()
    {
        var plan = StandInPlan("127.122.0.0/16", replicas: 2);
        var output = new LinesWriter();
        var runDirectory = new RunDirectory(Path.Combine(_directory, "run"));
        using var prober = new Prober(TimeProvider.System);
        var supervisor = new MeshSupervisor(plan, runDirectory, new LogMultiplexer(output, color: false), prober, TimeProvider.System);
        await using var mesh = new RunningMesh(supervisor);

        Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("mesh ready"), Timeout), string.Join('\n', output.Lines));
        Assert.Contains("ready  web-0  127.122.1.1  sidecar ready, config 7", output.Lines);
        Assert.Contains("ready  web-1  127.122.1.2  sidecar ready, config 7", output.Lines);
        var lines = output.Lines.ToList();
        Assert.True(lines.IndexOf("mesh ready") > lines.IndexOf("ready  web-1  127.122.1.2  sidecar ready, config 7"));
        Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("web-0         | hello from web-0 at 127.122.1.1"), Timeout), string.Join('\n', output.Lines));

        var state = runDirectory.TryRead();
        Assert.NotNull(state);
        Assert.Equal(Environment.ProcessId, state.Pid);
        Assert.Equal("127.122.0.1:15010", state.ControlPlane.Discovery);
        var pids = new List<int> { state.ControlPlane.Pid!.Value };
        Assert.True(await Poll.UntilAsync(() => runDirectory.TryRead()!.Pods.All(p => p.Pid is not null && p.SidecarPid is not null), Timeout));
        state = runDirectory.TryRead()!;
        pids.AddRange(state.Pods.SelectMany(p => new[] { p.Pid!.Value, p.SidecarPid!.Value }));
        Assert.All(pids, pid => Assert.True(Native.IsAlive(pid)));

        Assert.Equal(0, await mesh.StopAsync());

        Assert.All(pids, pid => Assert.False(Native.IsAlive(pid), $"process {pid} outlived the mesh"));
        Assert.Null(runDirectory.TryRead());
        Assert.Equal("stopped", output.Lines[^1]);
    }

    [Fact]
    public async Task RunAsync_ControlPlaneDies_RestartedAndStateUpdated()
    {
        var plan = StandInPlan("127.123.0.0/16", replicas: 1);
        var output = new LinesWriter();
        var runDirectory = new RunDirectory(Path.Combine(_directory, "run"));
        using var prober = new Prober(TimeProvider.System);
        var supervisor = new MeshSupervisor(plan, runDirectory, new LogMultiplexer(output, color: false), prober, TimeProvider.System);
        await using var mesh = new RunningMesh(supervisor);
        Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("mesh ready"), Timeout), string.Join('\n', output.Lines));
        int first = runDirectory.TryRead()!.ControlPlane.Pid!.Value;

        Native.SignalProcess(first, Native.SigKill);

        Assert.True(await Poll.UntilAsync(() => runDirectory.TryRead()?.ControlPlane.Pid is { } pid && pid != first, Timeout), string.Join('\n', output.Lines));
        Assert.Contains(output.Lines, l => l.StartsWith("exited  control-plane  code 137", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_SidecarStopsBeingReadyAfterMeshReady_ReportsItAndItsReturn()
    {
        var plan = StandInPlan("127.125.0.0/16", replicas: 1);
        var output = new LinesWriter();
        using var prober = new Prober(TimeProvider.System);
        var supervisor = new MeshSupervisor(plan, new RunDirectory(Path.Combine(_directory, "run")), new LogMultiplexer(output, color: false), prober, TimeProvider.System);
        await using var mesh = new RunningMesh(supervisor);
        Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("mesh ready"), Timeout), string.Join('\n', output.Lines));
        string readiness = Path.Combine(_directory, "sidecar", "healthz", "ready");

        File.Delete(readiness);

        Assert.True(await Poll.UntilAsync(() => output.Lines.Any(l => l.StartsWith("not ready  web-0  127.125.1.1", StringComparison.Ordinal)), Timeout), string.Join('\n', output.Lines));

        File.WriteAllText(readiness, "ok");

        Assert.True(await Poll.UntilAsync(() => output.Lines.Count(l => l == "ready  web-0  127.125.1.1  sidecar ready, config 7") == 2, Timeout), string.Join('\n', output.Lines));
    }

    [Fact]
    public async Task RunAsync_ControlPlaneNeverReady_FailsAndLeavesNothing()
    {
        var plan = StandInPlan("127.124.0.0/16", replicas: 1) with
        {
            ControlPlane = new ProcessLaunch("/bin/sh", ["-c", "exec sleep 300"], _directory, new Dictionary<string, string?>()),
        };
        var output = new LinesWriter();
        var runDirectory = new RunDirectory(Path.Combine(_directory, "run"));
        using var prober = new Prober(TimeProvider.System);
        var supervisor = new MeshSupervisor(plan, runDirectory, new LogMultiplexer(output, color: false), prober, TimeProvider.System);
        await using var mesh = new RunningMesh(supervisor);
        Assert.True(await Poll.UntilAsync(() => supervisor.State.ControlPlane.Pid is not null, Timeout));
        int pid = supervisor.State.ControlPlane.Pid!.Value;

        Assert.Equal(0, await mesh.StopAsync());

        Assert.False(Native.IsAlive(pid));
        Assert.DoesNotContain("mesh ready", output.Lines);
    }

    /// <summary>Runs the supervisor for one test and always stops it, so that a failing assertion leaves no process behind.</summary>
    private sealed class RunningMesh : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stopping = new();
        private readonly Task<int> _running;

        public RunningMesh(MeshSupervisor supervisor) => _running = supervisor.RunAsync(_stopping.Token);

        public async Task<int> StopAsync()
        {
            _stopping.Cancel();
            return await _running.WaitAsync(Timeout);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stopping.Dispose();
        }
    }

    /// <summary>A mesh of one workload: the control plane and the sidecars are static HTTP servers answering their readiness paths.</summary>
    private MeshPlan StandInPlan(string cidr, int replicas)
    {
        Assert.True(PodIpAllocator.TryParse(cidr, out var addresses, out _));
        string controlPlaneFiles = Path.Combine(_directory, "control-plane");
        Directory.CreateDirectory(Path.Combine(controlPlaneFiles, "debug"));
        File.WriteAllText(Path.Combine(controlPlaneFiles, "ready"), "ok");
        string sidecarFiles = Path.Combine(_directory, "sidecar");
        Directory.CreateDirectory(Path.Combine(sidecarFiles, "healthz"));
        File.WriteAllText(Path.Combine(sidecarFiles, "healthz", "ready"), "ok");

        var proxies = new List<object>();
        var pods = new List<PodPlan>();
        for (int replica = 0; replica < replicas; replica++)
        {
            string podIp = addresses.PodIp(0, replica).ToString();
            string podName = $"web-{replica}";
            proxies.Add(new { id = podName + ".default", podName, @namespace = "default", workload = "web", podIp, health = "HEALTHY", ackedVersion = "7", status = "SYNCED" });
            var environment = new Dictionary<string, string> { ["POD_IP"] = podIp, ["POD_NAME"] = podName };
            pods.Add(new PodPlan(
                new PodState { Workload = "web", Namespace = "default", PodName = podName, Replica = replica, PodIp = podIp, WorkingDirectory = _directory, Env = environment },
                new ProcessLaunch("/bin/sh", ["-c", "echo hello from $POD_NAME at $POD_IP; exec sleep 300"], _directory, environment.ToDictionary(e => e.Key, e => (string?)e.Value)),
                HttpServer(podIp, 15021, sidecarFiles)));
        }

        File.WriteAllText(Path.Combine(controlPlaneFiles, "debug", "proxies"), JsonSerializer.Serialize(proxies));
        return new MeshPlan("/config", addresses, HttpServer(addresses.ControlPlane.ToString(), 15014, controlPlaneFiles), pods);
    }

    private ProcessLaunch HttpServer(string ip, int port, string directory) =>
        new("/usr/bin/python3", ["-m", "http.server", "--bind", ip, "--directory", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            _directory, new Dictionary<string, string?>());
}
