using System.Diagnostics;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.LocalMesh;

public class LeftoverProcessesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Kill_WorkloadOfADeadMesh_KilledWithItsGroup()
    {
        var output = new LinesWriter();
        var launch = ChildProcessTests.Shell("sleep 300 & echo $!; wait") with
        {
            Environment = new Dictionary<string, string?> { ["POD_IP"] = "127.29.1.1", ["POD_NAME"] = "web-0" },
        };
        using var child = ChildProcess.Start(launch, "web-0", new LogMultiplexer(output, color: false));
        Assert.True(await Poll.UntilAsync(() => output.Lines.Count == 1, Timeout));
        int grandchild = int.Parse(output.Lines[0]["web-0 | ".Length..]);

        var killed = LeftoverProcesses.Kill(State(child.Pid, "127.29.1.1", "web-0"));

        Assert.Equal(["web-0"], killed);
        Assert.True(await Poll.UntilAsync(() => !Native.IsAlive(child.Pid) && !Native.IsAlive(grandchild), Timeout));
    }

    [Fact]
    public async Task Kill_PidNowUsedByAnotherProcess_LeftAlone()
    {
        using var stranger = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        try
        {
            var killed = LeftoverProcesses.Kill(State(stranger.Id, "127.29.1.1", "web-0"));

            Assert.Empty(killed);
            Assert.False(stranger.WaitForExit(TimeSpan.FromMilliseconds(200)));
        }
        finally
        {
            stranger.Kill();
            await stranger.WaitForExitAsync();
        }
    }

    private static MeshState State(int pid, string podIp, string podName) => new()
    {
        Pid = 1,
        ConfigDirectory = "/config",
        Cidr = "127.29.0.0/16",
        ControlPlane = new ControlPlaneState { Discovery = "127.29.0.1:15010", Monitoring = "127.29.0.1:15014" },
        StartedAt = DateTimeOffset.UnixEpoch,
        Pods =
        [
            new PodState
            {
                Workload = "web", Namespace = "default", PodName = podName, Replica = 0, PodIp = podIp, Pid = pid,
                WorkingDirectory = "/", Env = new Dictionary<string, string>(),
            },
        ],
    };
}
