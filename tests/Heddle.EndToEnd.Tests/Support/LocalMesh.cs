using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Heddle.EndToEnd.Tests.Support;

/// <summary>
/// A real local mesh: `heddle up` run as a child process on a copy of a test-data directory, with its own
/// loopback /16 and run directory. Stopping it sends SIGTERM, as a user's Ctrl-C would.
/// </summary>
internal sealed class LocalMesh : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _up;

    private LocalMesh(Process up, string configDirectory, string runDirectory, string cidr, ProcessOutput output)
    {
        _up = up;
        ConfigDirectory = configDirectory;
        RunDirectory = runDirectory;
        Cidr = cidr;
        Output = output;
    }

    public string ConfigDirectory { get; }

    public string RunDirectory { get; }

    public string Cidr { get; }

    public ProcessOutput Output { get; }

    public int UpPid => _up.Id;

    /// <summary>Copies <paramref name="testData"/> to a fresh directory and runs `heddle up` on it (with
    /// <paramref name="upArguments"/>) until "mesh ready".</summary>
    public static async Task<LocalMesh> StartAsync(string testData, params string[] upArguments)
    {
        string root = Directory.CreateTempSubdirectory("heddle-e2e-").FullName;
        string config = Path.Combine(root, "config");
        CopyDirectory(RepositoryLayout.TestData(testData), config);
        string run = Path.Combine(root, "run");
        string cidr = LoopbackRanges.NextCidr();

        var output = new ProcessOutput();
        var process = Cli.Start(output, root, ["up", config, "--cidr", cidr, "--run-dir", run, "--access-log", .. upArguments]);
        var mesh = new LocalMesh(process, config, run, cidr, output);
        try
        {
            await output.WaitForLineAsync(l => l.Contains("mesh ready", StringComparison.Ordinal), StartTimeout, "`mesh ready`");
        }
        catch
        {
            await mesh.DisposeAsync();
            throw;
        }

        return mesh;
    }

    public JsonElement State()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RunDirectory, "mesh.json")));
        return doc.RootElement.Clone();
    }

    public string PodIp(string workload, int replica = 0)
    {
        foreach (var pod in State().GetProperty("pods").EnumerateArray())
        {
            if (pod.GetProperty("workload").GetString() == workload && pod.GetProperty("replica").GetInt32() == replica)
            {
                return pod.GetProperty("podIp").GetString()!;
            }
        }

        throw new InvalidOperationException($"no pod {workload}-{replica} in mesh.json");
    }

    public int? ControlPlanePid()
    {
        var cp = State().GetProperty("controlPlane");
        return cp.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.Number ? pid.GetInt32() : null;
    }

    public string ControlPlaneMonitoring => State().GetProperty("controlPlane").GetProperty("monitoring").GetString()!;

    /// <summary>An HTTP client whose requests go through <paramref name="workload"/>'s sidecar, as that workload's HTTP_PROXY does.</summary>
    public HttpClient ClientOf(string workload)
    {
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy($"http://{PodIp(workload)}:15001"),
            UseProxy = true,
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Runs `heddle ARGS` against this mesh's run directory and returns its exit code and output.</summary>
    public Task<(int ExitCode, string Output)> RunCliAsync(params string[] args) =>
        Cli.RunAsync(RunDirectory, args);

    public async ValueTask DisposeAsync()
    {
        var pids = new List<int>();
        try
        {
            foreach (var pod in State().GetProperty("pods").EnumerateArray())
            {
                foreach (string key in new[] { "pid", "sidecarPid" })
                {
                    if (pod.TryGetProperty(key, out var p) && p.ValueKind == JsonValueKind.Number)
                    {
                        pids.Add(p.GetInt32());
                    }
                }
            }

            if (ControlPlanePid() is int cp)
            {
                pids.Add(cp);
            }
        }
        catch (IOException)
        {
        }

        if (!_up.HasExited)
        {
            Signals.Terminate(_up.Id);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _up.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _up.Kill(entireProcessTree: true);
            }
        }

        foreach (int pid in pids)
        {
            if (Signals.IsAlive(pid))
            {
                Signals.Kill(pid);
            }
        }

        _up.Dispose();
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>Runs the built `heddle` CLI as a child process.</summary>
internal static class Cli
{
    public static Process Start(ProcessOutput output, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(RepositoryLayout.CliDll);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start heddle");
        output.Attach(process);
        return process;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string runDirectory, params string[] args)
    {
        var output = new ProcessOutput();
        var all = new List<string>(args);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["HEDDLE_RUN_DIR"] = runDirectory;
        info.ArgumentList.Add(RepositoryLayout.CliDll);
        foreach (string a in all)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start heddle");
        output.Attach(process);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        process.WaitForExit();
        return (process.ExitCode, output.Text);
    }
}

/// <summary>POSIX signals for child processes (Process.Kill only sends SIGKILL).</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    public static void Terminate(int pid) => _ = kill(pid, SigTerm);

    public static void Kill(int pid) => _ = kill(pid, SigKill);

    public static bool IsAlive(int pid)
    {
        // A zombie still answers kill(0); /proc tells the truth about the state.
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            string text = File.ReadAllText(stat);
            int close = text.LastIndexOf(')');
            return close < 0 || close + 2 >= text.Length || text[close + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
