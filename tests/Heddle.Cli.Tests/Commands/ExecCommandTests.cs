using Heddle.Cli.Commands;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.Commands;

public class ExecCommandTests
{
    private static readonly MeshState State = new()
    {
        Pid = 1,
        ConfigDirectory = "/config",
        Cidr = "127.20.0.0/16",
        ControlPlane = new ControlPlaneState { Discovery = "127.20.0.1:15010", Monitoring = "127.20.0.1:15014" },
        StartedAt = DateTimeOffset.UnixEpoch,
        Pods =
        [
            Pod("web", "default", 0, "127.20.1.1"),
            Pod("web", "default", 1, "127.20.1.2"),
            Pod("client", "default", 0, "127.20.2.1"),
            Pod("client", "shop", 0, "127.20.3.1"),
        ],
    };

    [Fact]
    public void FindPod_WorkloadAndReplica_ThatPod()
    {
        Assert.Equal("127.20.1.2", ExecCommand.FindPod(State, "web", null, 1, out _)?.PodIp);
    }

    [Fact]
    public void FindPod_UnknownWorkload_ListsTheMeshsWorkloads()
    {
        Assert.Null(ExecCommand.FindPod(State, "db", null, 0, out string problem));
        Assert.Contains("web, client", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FindPod_ReplicaOutOfRange_SaysWhichExist()
    {
        Assert.Null(ExecCommand.FindPod(State, "web", null, 2, out string problem));
        Assert.Contains("0..1", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FindPod_NameInTwoNamespaces_NeedsNamespace()
    {
        Assert.Null(ExecCommand.FindPod(State, "client", null, 0, out string problem));
        Assert.Contains("--namespace", problem, StringComparison.Ordinal);
        Assert.Equal("127.20.3.1", ExecCommand.FindPod(State, "client", "shop", 0, out _)?.PodIp);
    }

    [Fact]
    public void Run_NoRunningMesh_ExitsOneWithReason()
    {
        var error = new StringWriter();
        var runDirectory = new RunDirectory(Path.Combine(Path.GetTempPath(), "heddle-no-mesh-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(1, ExecCommand.Run(runDirectory, "web", null, 0, ["true"], error));
        Assert.Contains("no mesh is running", error.ToString(), StringComparison.Ordinal);
    }

    private static PodState Pod(string workload, string ns, int replica, string ip) => new()
    {
        Workload = workload,
        Namespace = ns,
        PodName = $"{workload}-{replica}",
        Replica = replica,
        PodIp = ip,
        WorkingDirectory = "/",
        Env = new Dictionary<string, string> { ["POD_IP"] = ip },
    };
}
