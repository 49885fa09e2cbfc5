using System.Globalization;
using System.Net;
using Heddle.Benchmarks.Runner.Load;
using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>A local mesh started with <c>./heddle up</c>, in its own process group so that stopping it stops every sidecar.</summary>
internal sealed class HeddleMesh : IAsyncDisposable
{
    private const int ReadinessPort = 15021;

    private readonly ChildProcess _up;
    private readonly List<(int Pid, string? Command)> _sidecars = [];

    private HeddleMesh(ChildProcess up, string runDirectory, List<MeshPod> pods)
    {
        _up = up;
        RunDirectory = runDirectory;
        Pods = pods;
    }

    public string RunDirectory { get; }

    public IReadOnlyList<MeshPod> Pods { get; }

    public string LogPath => _up.LogPath;

    public static async Task<HeddleMesh> StartAsync(
        BenchContext context, string configDirectory, string caseDirectory, string proxyPath, CancellationToken cancellationToken)
    {
        string runDirectory = Path.Combine(caseDirectory, "run");
        Directory.CreateDirectory(runDirectory);
        string meshJson = Path.Combine(runDirectory, "mesh.json");
        var readyLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string heddle = Path.Combine(context.RepositoryRoot, "heddle");
        ChildProcess up = ChildProcess.Start(new ChildProcessSpec(
            heddle, ["up", configDirectory, "--cidr", context.Addresses.Cidr, "--run-dir", runDirectory])
        {
            WorkingDirectory = context.RepositoryRoot,
            Environment = new Dictionary<string, string>
            {
                ["HEDDLE_PROXY"] = proxyPath,
                ["HEDDLE_RUN_DIR"] = runDirectory,
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
            },
            LogPath = Path.Combine(caseDirectory, "heddle-up.log"),
            OwnProcessGroup = true,
            OnOutputLine = line =>
            {
                if (line.Contains("mesh ready", StringComparison.OrdinalIgnoreCase))
                {
                    readyLine.TrySetResult();
                }
            },
        });
        BenchContext.Log($"  heddle up {configDirectory} --cidr {context.Addresses.Cidr} (log: {up.LogPath})");

        try
        {
            List<MeshPod> pods = await WaitReadyAsync(context, up, meshJson, readyLine.Task, cancellationToken).ConfigureAwait(false);
            return new HeddleMesh(up, runDirectory, pods);
        }
        catch
        {
            await up.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public MeshPod Pod(string workload) =>
        Pods.FirstOrDefault(p => p.Workload == workload)
        ?? throw new InvalidOperationException($"mesh.json in {RunDirectory} lists no pod of workload '{workload}'");

    /// <summary>The sidecar process fronting a pod: whatever listens on its outbound port.</summary>
    public MeasuredProcess Sidecar(MeshPod pod, string role)
    {
        List<int> owners = SocketOwners.FindListeners(pod.PodIp, 15001);
        if (owners.Count == 0)
        {
            owners = SocketOwners.FindListeners(pod.PodIp, 15000);
        }

        if (owners.Count == 0)
        {
            throw new InvalidOperationException($"no process listens on {pod.PodIp}:15001 ({pod.PodName}'s sidecar outbound port)");
        }

        string? command = ProcFs.CommandName(owners[0]);
        _sidecars.Add((owners[0], command));
        return new MeasuredProcess(role, command ?? "heddle-proxy", owners[0]);
    }

    /// <summary>The mesh's processes that are not on the request path: <c>heddle up</c> (without its children, which
    /// include the sidecars) and the control plane it started.</summary>
    public IReadOnlyList<MeasuredProcess> Background()
    {
        var processes = new List<MeasuredProcess> { new("heddle up", ProcFs.CommandName(_up.Id) ?? "dotnet", _up.Id, withDescendants: false) };
        foreach (int child in ProcFs.Descendants(_up.Id))
        {
            if (ProcFs.CommandLine(child) is { } arguments && arguments.Contains("control-plane"))
            {
                processes.Add(new MeasuredProcess("control plane", ProcFs.CommandName(child) ?? "dotnet", child));
                break;
            }
        }

        return processes;
    }

    public async ValueTask DisposeAsync()
    {
        await _up.DisposeAsync().ConfigureAwait(false);

        // Sidecars exit when their parent dies; a sidecar that was put in a session of its own is reached by pid.
        DateTimeOffset deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        while (_sidecars.Exists(IsStillRunning) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        foreach ((int pid, string? command) sidecar in _sidecars)
        {
            if (IsStillRunning(sidecar))
            {
                Native.Signal(sidecar.pid, Native.SigKill);
            }
        }
    }

    /// <summary>Alive and still the same program, so that a reused pid is never signalled.</summary>
    private static bool IsStillRunning((int Pid, string? Command) sidecar) =>
        ProcFs.IsAlive(sidecar.Pid) && ProcFs.CommandName(sidecar.Pid) == sidecar.Command;

    private static async Task<List<MeshPod>> WaitReadyAsync(
        BenchContext context, ChildProcess up, string meshJson, Task readyLine, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = DateTimeOffset.UtcNow + context.Options.MeshTimeout;
        using HttpClient client = Http.CreateClient(TimeSpan.FromSeconds(2));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (up.HasExited)
            {
                throw new InvalidOperationException($"heddle up exited before the mesh was ready; log {up.LogPath}:{Environment.NewLine}{up.LogTail()}");
            }

            List<MeshPod> pods = TryReadPods(meshJson);
            if (pods.Count > 0 && (readyLine.IsCompleted || await AllSidecarsReadyAsync(client, pods, cancellationToken).ConfigureAwait(false)))
            {
                return pods;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"the mesh was not ready after {context.Options.MeshTimeout.TotalSeconds:0} s (no 'mesh ready' line, sidecars not ready); log {up.LogPath}:{Environment.NewLine}{up.LogTail()}");
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<MeshPod> TryReadPods(string meshJson)
    {
        try
        {
            return File.Exists(meshJson) ? MeshPod.ReadAll(meshJson) : [];
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return []; // being written
        }
    }

    private static async Task<bool> AllSidecarsReadyAsync(HttpClient client, List<MeshPod> pods, CancellationToken cancellationToken)
    {
        foreach (MeshPod pod in pods)
        {
            var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{new IPEndPoint(pod.PodIp, ReadinessPort)}/healthz/ready"));
            try
            {
                using HttpResponseMessage response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return false;
                }
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return true;
    }
}
