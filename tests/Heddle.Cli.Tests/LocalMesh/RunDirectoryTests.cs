using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.LocalMesh;

public sealed class RunDirectoryTests : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("heddle-run-").FullName;

    public void Dispose()
    {
        if (Directory.Exists(_path))
        {
            Directory.Delete(_path, recursive: true);
        }
    }

    [Fact]
    public void Write_ThenTryRead_RoundTripsEveryField()
    {
        var runDirectory = new RunDirectory(_path);
        var state = SampleState(Environment.ProcessId);

        runDirectory.Write(state);
        var read = runDirectory.TryRead();

        Assert.NotNull(read);
        Assert.Equal(state.Pid, read.Pid);
        Assert.Equal(state.ConfigDirectory, read.ConfigDirectory);
        Assert.Equal(state.Cidr, read.Cidr);
        Assert.Equal(state.ControlPlane, read.ControlPlane);
        Assert.Equal(state.StartedAt, read.StartedAt);
        var pod = Assert.Single(read.Pods);
        Assert.Equal(state.Pods[0] with { Env = pod.Env }, pod);
        Assert.Equal(state.Pods[0].Env, pod.Env);
        Assert.Equal(state.Pods[0].Env.Keys, pod.Env.Keys);
    }

    [Fact]
    public void Write_Twice_LeavesOnlyTheStateFile()
    {
        var runDirectory = new RunDirectory(_path);

        runDirectory.Write(SampleState(1));
        runDirectory.Write(SampleState(2));

        Assert.Equal([RunDirectory.StateFileName], Directory.GetFiles(_path).Select(Path.GetFileName));
        Assert.Equal(2, runDirectory.TryRead()!.Pid);
    }

    [Fact]
    public void TryRead_NoFile_ReturnsNull()
    {
        Assert.Null(new RunDirectory(_path).TryRead());
    }

    [Fact]
    public void TryRead_NotJson_ReturnsNull()
    {
        Directory.CreateDirectory(_path);
        File.WriteAllText(Path.Combine(_path, RunDirectory.StateFileName), "{ not json");

        Assert.Null(new RunDirectory(_path).TryRead());
    }

    [Fact]
    public void TryReadRunning_OwnerAlive_ReturnsState()
    {
        var runDirectory = new RunDirectory(_path);
        runDirectory.Write(SampleState(Environment.ProcessId));

        Assert.NotNull(runDirectory.TryReadRunning(out _));
    }

    [Fact]
    public void TryReadRunning_OwnerGone_SaysSo()
    {
        var runDirectory = new RunDirectory(_path);
        runDirectory.Write(SampleState(ExitedProcessId()));

        Assert.Null(runDirectory.TryReadRunning(out string error));
        Assert.Contains("not running", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadRunning_NoState_TellsHowToStartOne()
    {
        Assert.Null(new RunDirectory(_path).TryReadRunning(out string error));
        Assert.Contains("heddle up", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Delete_RemovesState()
    {
        var runDirectory = new RunDirectory(_path);
        runDirectory.Write(SampleState(1));

        runDirectory.Delete();

        Assert.False(File.Exists(runDirectory.StateFile));
    }

    [Fact]
    public void Resolve_Option_WinsAndIsAbsolute()
    {
        Assert.Equal(Path.GetFullPath("relative/run"), RunDirectory.Resolve("relative/run").Path);
    }

    private static int ExitedProcessId()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    private static MeshState SampleState(int pid) => new()
    {
        Pid = pid,
        ConfigDirectory = "/home/me/samples/hello",
        Cidr = "127.20.0.0/16",
        ControlPlane = new ControlPlaneState { Discovery = "127.20.0.1:15010", Monitoring = "127.20.0.1:15014", Pid = 4242 },
        StartedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Pods =
        [
            new PodState
            {
                Workload = "web-v1",
                Namespace = "default",
                PodName = "web-v1-0",
                Replica = 0,
                PodIp = "127.20.1.1",
                Pid = 100,
                SidecarPid = 101,
                WorkingDirectory = "/home/me/samples/hello/web",
                Env = new Dictionary<string, string>
                {
                    ["POD_IP"] = "127.20.1.1",
                    ["POD_NAME"] = "web-v1-0",
                    ["NO_PROXY"] = "",
                    ["GREETING"] = "hello",
                },
            },
        ],
    };
}
