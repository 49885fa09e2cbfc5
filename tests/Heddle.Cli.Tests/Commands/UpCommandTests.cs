using System.CommandLine;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Heddle.Cli.LocalMesh;
using Heddle.Cli.Tests.LocalMesh;
using Xunit.Abstractions;

namespace Heddle.Cli.Tests.Commands;

public sealed partial class UpCommandTests : IDisposable
{
    private const string Cidr = "127.22.0.0/16";
    private const string AddressPrefix = "127.22.";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _testOutput;
    private readonly string _runDirectory = Directory.CreateTempSubdirectory("heddle-up-").FullName;

    public UpCommandTests(ITestOutputHelper testOutput) => _testOutput = testOutput;

    public void Dispose() => Directory.Delete(_runDirectory, recursive: true);

    /// <summary>
    /// The quick start, as a newcomer runs it: <c>heddle up samples/hello</c> starts the mesh, the client's tally
    /// shows the 80/20 split and jason's requests all on v2, <c>exec</c>, <c>status</c>, <c>proxy-status</c> and
    /// <c>proxy-config</c> find the mesh, and SIGTERM stops it without leaving a process behind.
    /// </summary>
    [Fact]
    public async Task Up_HelloSample_SplitsTrafficRoutesHeaderAndStopsCleanlyOnSigterm()
    {
        var output = new LinesWriter();
        using var up = StartCli(output, "up", Path.Combine(Repository.Root, "samples", "hello"), "--cidr", Cidr, "--run-dir", _runDirectory);
        try
        {
            // 1. Every pod reports ready, then the mesh.
            Assert.True(await Poll.UntilAsync(() => output.Lines.Contains("mesh ready") || up.HasExited, StartTimeout), Dump(output));
            Assert.False(up.HasExited, Dump(output));
            foreach (string pod in new[] { "web-v1-0  127.22.1.1", "web-v2-0  127.22.2.1", "client-0  127.22.3.1" })
            {
                Assert.Contains(output.Lines, l => l.StartsWith($"ready  {pod}  sidecar ready", StringComparison.Ordinal));
            }

            // 2. The client's tally: both versions answer plain requests, jason's all go to v2.
            Match? tally = null;
            Assert.True(
                await Poll.UntilAsync(() => (tally = output.Lines.Select(l => TallyLine().Match(l)).LastOrDefault(m => m.Success)) is not null, StartTimeout),
                Dump(output));
            int v1 = int.Parse(tally!.Groups["v1"].Value), v2 = int.Parse(tally.Groups["v2"].Value);
            Assert.True(v1 > v2 && v2 > 0, $"expected an 80/20 split, got {tally.Value}");
            Assert.Equal("20", tally.Groups["jason"].Value);

            // 3. exec runs a command with the client's environment: through its sidecar to the service.
            var (plainExit, plain) = await RunCliAsync("exec", "client", "--run-dir", _runDirectory, "--", "curl", "-s", "--max-time", "10", "http://web/");
            Assert.Equal(0, plainExit);
            Assert.Matches("^hello from v[12] ", plain);
            var (_, jason) = await RunCliAsync("exec", "client", "--run-dir", _runDirectory, "--", "curl", "-s", "--max-time", "10", "-H", "end-user: jason", "http://web/");
            Assert.StartsWith("hello from v2 ", jason, StringComparison.Ordinal);
            var (environmentExit, environment) = await RunCliAsync("exec", "web-v2", "--run-dir", _runDirectory, "--", "sh", "-c", "echo $POD_NAME $POD_IP $HTTP_PROXY; exit 7");
            Assert.Equal(7, environmentExit);
            Assert.Equal("web-v2-0 127.22.2.1 http://127.22.2.1:15001", environment.Trim());

            // 4. status lists every pod as running, ready and in sync with the control plane.
            var (statusExit, status) = await RunCliAsync("status", "--run-dir", _runDirectory);
            Assert.Equal(0, statusExit);
            foreach (string pod in new[] { "web-v1-0", "web-v2-0", "client-0" })
            {
                Assert.Matches($@"(?m)^\S+\s+{pod}\s+127\.22\.\d\.1\s+running \(\d+\)\s+running \(\d+\)\s+yes\s+\S+\s+SYNCED$", status);
            }

            // 5. proxy-status: every sidecar acknowledged its latest configuration.
            var (proxyStatusExit, proxyStatus) = await RunCliAsync("proxy-status", "--run-dir", _runDirectory);
            Assert.Equal(0, proxyStatusExit);
            foreach (string pod in new[] { "web-v1-0", "web-v2-0", "client-0" })
            {
                Assert.Matches($@"(?m)^{pod}\.default\s+\S+\s+127\.22\.\d\.1\s+(?<v>[0-9a-f]{{16}})\s+\k<v>\s+SYNCED$", proxyStatus);
            }

            // 6. proxy-config: the client's sidecar holds the sample's routes, the three clusters and the two pods.
            var (routesExit, routes) = await RunCliAsync("proxy-config", "routes", "client", "--run-dir", _runDirectory);
            Assert.Equal(0, routesExit);
            Assert.Matches(@"(?m)^web\.default\.svc\.cluster\.local:80\s+web:80 \+3 more\s+end-user=jason\s+outbound\|80\|v2\|web\.default\.svc\.cluster\.local$", routes);
            Assert.Matches(@"(?m)\s/\*\s+outbound\|80\|v1\|web\.default\.svc\.cluster\.local 80%, outbound\|80\|v2\|web\.default\.svc\.cluster\.local 20%$", routes);
            var (clustersExit, clusters) = await RunCliAsync("proxy-config", "clusters", "client", "--run-dir", _runDirectory);
            Assert.Equal(0, clustersExit);
            Assert.Matches(@"(?m)^outbound\|80\|\|web\.default\.svc\.cluster\.local\s+web\.default\.svc\.cluster\.local\s+80\s+-\s+HTTP\s+\S+\s+2$", clusters);
            var (endpointsExit, endpoints) = await RunCliAsync("proxy-config", "endpoints", "client", "-o", "json", "--run-dir", _runDirectory);
            Assert.Equal(0, endpointsExit);
            using (var json = System.Text.Json.JsonDocument.Parse(endpoints))
            {
                var sidecars = json.RootElement.EnumerateArray().Select(e => e.GetProperty("sidecar").GetString()).Distinct().Order(StringComparer.Ordinal);
                Assert.Equal(["127.22.1.1:15006", "127.22.2.1:15006"], sidecars);
            }

            // 7. SIGTERM: everything stops, the state is removed, nothing is left running.
            var state = new RunDirectory(_runDirectory).TryRead();
            Assert.NotNull(state);
            var pids = new List<int> { state.Pid, state.ControlPlane.Pid!.Value };
            pids.AddRange(state.Pods.SelectMany(p => new[] { p.Pid!.Value, p.SidecarPid!.Value }));
            Assert.Equal(8, pids.Distinct().Count());
            Assert.NotEmpty(MeshProcesses());

            // 8. heddle up replaced itself (same pid) with one without tiered compilation; what it starts does not inherit that.
            Assert.Equal(up.Id, state.Pid);
            Assert.Contains("DOTNET_TieredCompilation=0", EnvironmentOf(up.Id));
            var web = state.Pods.First(p => p.PodName == "web-v1-0");
            Assert.DoesNotContain(EnvironmentOf(web.Pid!.Value), v => v.StartsWith("DOTNET_TieredCompilation=", StringComparison.Ordinal) || v.StartsWith(QuietRuntime.RestartedVariable, StringComparison.Ordinal));
            Assert.Contains("DOTNET_TieredCompilation=0", EnvironmentOf(state.ControlPlane.Pid!.Value));

            // 9. A sidecar reads no settings file, so no thread of it watches a directory for one.
            var threads = Directory.GetDirectories($"/proc/{web.SidecarPid!.Value}/task").Select(task => File.ReadAllText(Path.Combine(task, "comm")).Trim()).ToList();
            Assert.Contains("heddle-event-lo", threads);
            Assert.DoesNotContain(".NET File Watch", threads);

            Assert.True(Native.SignalProcess(up.Id, Native.SigTerm));
            Assert.True(await Poll.UntilAsync(() => up.HasExited, CommandTimeout), Dump(output));
            up.WaitForExit();

            Assert.Equal(0, up.ExitCode);
            Assert.Equal("stopped", output.Lines[^1]);
            Assert.False(File.Exists(Path.Combine(_runDirectory, RunDirectory.StateFileName)));
            Assert.All(pids, pid => Assert.False(Native.IsAlive(pid), $"process {pid} outlived the mesh"));
            Assert.Empty(MeshProcesses());
        }
        finally
        {
            if (!up.HasExited)
            {
                Native.SignalProcess(up.Id, Native.SigTerm);
                if (!up.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    up.Kill(entireProcessTree: true);
                }
            }

            foreach (int leftover in MeshProcesses())
            {
                Native.SignalProcess(leftover, Native.SigKill);
            }

            _testOutput.WriteLine(Dump(output));
        }
    }

    [Fact]
    public async Task Up_DirectoryWithErrors_RefusesWithTheAnalyzersMessages()
    {
        using var files = new ConfigFiles();
        files.Write("routing.yaml", ConfigFiles.WeightsNot100);
        var output = new StringWriter();
        var error = new StringWriter();

        int exitCode = await Program.CreateRootCommand()
            .Parse(["up", files.Directory, "--run-dir", _runDirectory, "--cidr", "127.25.0.0/16"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(1, exitCode);
        Assert.Contains("routing.yaml:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("not starting", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
        Assert.False(File.Exists(Path.Combine(_runDirectory, RunDirectory.StateFileName)));
    }

    [Fact]
    public async Task Up_RunDirectoryOfARunningMesh_Refuses()
    {
        using var files = new ConfigFiles();
        files.Write("service.yaml", ConfigFiles.Service);
        new RunDirectory(_runDirectory).Write(new MeshState
        {
            Pid = Environment.ProcessId,
            ConfigDirectory = "/elsewhere",
            Cidr = "127.26.0.0/16",
            ControlPlane = new ControlPlaneState { Discovery = "127.26.0.1:15010", Monitoring = "127.26.0.1:15014" },
            Pods = [],
            StartedAt = DateTimeOffset.UnixEpoch,
        });
        var error = new StringWriter();

        int exitCode = await Program.CreateRootCommand()
            .Parse(["up", files.Directory, "--run-dir", _runDirectory, "--cidr", "127.26.0.0/16"])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error });

        Assert.Equal(1, exitCode);
        Assert.Contains("already running", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/16")]
    [InlineData("127.0.0.0/24")]
    public async Task Up_CidrNotALoopbackSlash16_Refuses(string cidr)
    {
        using var files = new ConfigFiles();
        var error = new StringWriter();

        int exitCode = await Program.CreateRootCommand()
            .Parse(["up", files.Directory, "--run-dir", _runDirectory, "--cidr", cidr])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error });

        Assert.Equal(1, exitCode);
        Assert.Contains("--cidr", error.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^client-0\s+\| last 100 requests: v1 (?<v1>\d+)  v2 (?<v2>\d+)   \|  as end-user jason: v2 (?<jason>\d+)/20$")]
    private static partial Regex TallyLine();

    /// <summary>Processes of this test's mesh: anything whose command line or environment carries one of its addresses.</summary>
    private static List<int> MeshProcesses()
    {
        var found = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid) || pid == Environment.ProcessId || !Native.IsAlive(pid))
            {
                continue;
            }

            try
            {
                string commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                string environment = File.ReadAllText(Path.Combine(directory, "environ"));
                if (commandLine.Contains(AddressPrefix, StringComparison.Ordinal) || environment.Contains("POD_IP=" + AddressPrefix, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    private static Process StartCli(LinesWriter output, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Repository.Root,
        };
        info.ArgumentList.Add(Repository.Cli);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove(RunDirectory.EnvironmentVariable);
        info.Environment.Remove(MeshPlan.TieredCompilationVariable);
        info.Environment["NO_COLOR"] = "1";
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.WriteLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.WriteLine("stderr: " + e.Data);
            }
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string[] EnvironmentOf(int pid) => File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<(int ExitCode, string Output)> RunCliAsync(params string[] arguments)
    {
        var output = new LinesWriter();
        using var process = StartCli(output, arguments);
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, string.Join('\n', output.Lines));
    }

    private static string Dump(LinesWriter output) => string.Join('\n', output.Lines.TakeLast(200));
}
