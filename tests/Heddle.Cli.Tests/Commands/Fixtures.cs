using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.Commands;

/// <summary>Captured answers of a running sample mesh (<c>Fixtures/</c>), and a recorded mesh with nothing behind it.</summary>
internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(Repository.Root, "tests", "Heddle.Cli.Tests", "Commands", "Fixtures", name);

    /// <summary>A <c>mesh.json</c> naming this test process as <c>heddle up</c> (so it counts as running) and one
    /// <c>client</c> pod at <paramref name="podIp"/>, where nothing listens.</summary>
    public static void WriteRunningMesh(string runDirectory, string cidr, string podIp)
    {
        string prefix = cidr[..cidr.IndexOf(".0.0/", StringComparison.Ordinal)];
        new RunDirectory(runDirectory).Write(new MeshState
        {
            Pid = Environment.ProcessId,
            ConfigDirectory = "/elsewhere",
            Cidr = cidr,
            ControlPlane = new ControlPlaneState { Discovery = $"{prefix}.0.1:15010", Monitoring = $"{prefix}.0.1:15014" },
            Pods =
            [
                new PodState
                {
                    Workload = "client",
                    Namespace = "default",
                    PodName = "client-0",
                    Replica = 0,
                    PodIp = podIp,
                    WorkingDirectory = "/",
                    Env = new Dictionary<string, string>(),
                },
            ],
            StartedAt = DateTimeOffset.UnixEpoch,
        });
    }
}
