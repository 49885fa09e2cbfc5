using System.Collections.Immutable;
using Heddle.Cli.LocalMesh;
using Heddle.Config.Model;

namespace Heddle.Cli.Tests.LocalMesh;

public sealed class MeshPlanTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("heddle-plan-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Create_WorkloadsAndReplicas_PodIpsInLoadOrder()
    {
        var plan = Plan(Workload("web", replicas: 2), Workload("client"));

        Assert.Equal(
            [("web-0", "127.20.1.1"), ("web-1", "127.20.1.2"), ("client-0", "127.20.2.1")],
            plan.Pods.Select(p => (p.State.PodName, p.State.PodIp)));
        Assert.Equal("127.20.0.1:15010", plan.Discovery);
        Assert.Equal("127.20.0.1:15014", plan.Monitoring);
    }

    [Fact]
    public void Create_WorkloadEnvironment_MeshVariablesThenSpecEnvExpanded()
    {
        var workload = Workload("web") with
        {
            Spec = Workload("web").Spec with
            {
                Env = [new EnvVar { Name = "LISTEN", Value = "$(POD_IP):8080" }, new EnvVar { Name = "EMPTY" }],
            },
        };

        var environment = Plan(workload).Pods[0].Workload.Environment;

        Assert.Equal("127.20.1.1", environment["POD_IP"]);
        Assert.Equal("web-0", environment["POD_NAME"]);
        Assert.Equal("shop", environment["POD_NAMESPACE"]);
        Assert.Equal("http://127.20.1.1:15001", environment["HTTP_PROXY"]);
        Assert.Equal("http://127.20.1.1:15001", environment["http_proxy"]);
        Assert.Equal("", environment["NO_PROXY"]);
        Assert.Equal("", environment["no_proxy"]);
        Assert.Equal("127.20.1.1:8080", environment["LISTEN"]);
        Assert.Equal("", environment["EMPTY"]);
    }

    [Fact]
    public void Create_CommandAndArgs_ExpandedAndResolvedOnPath()
    {
        var workload = Workload("web") with
        {
            Spec = Workload("web").Spec with { Command = ["sh", "-c"], Args = ["echo $(POD_NAME) $$(POD_NAME) $(NOPE)"] },
        };

        var launch = Plan(workload).Pods[0].Workload;

        Assert.Equal("/bin/sh", launch.FileName.Replace("/usr/bin/sh", "/bin/sh", StringComparison.Ordinal));
        Assert.Equal(["-c", "echo web-0 $(POD_NAME) $(NOPE)"], launch.Arguments);
    }

    [Fact]
    public void Create_WorkingDir_RelativeToTheFileAndDefaultsToItsDirectory()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "web"));
        var inFile = Workload("web") with
        {
            Source = new SourceLocation("workloads.yaml", 3) { Directory = _directory },
            Spec = Workload("web").Spec with { WorkingDir = "./web" },
        };
        var withoutDir = Workload("client") with { Source = new SourceLocation("workloads.yaml", 20) { Directory = _directory } };

        var plan = Plan(inFile, withoutDir);

        Assert.Equal(Path.Combine(_directory, "web"), plan.Pods[0].Workload.WorkingDirectory);
        Assert.Equal(_directory, plan.Pods[1].Workload.WorkingDirectory);
        Assert.Equal(Environment.CurrentDirectory, plan.Pods[1].Sidecar.WorkingDirectory);
    }

    [Fact]
    public void Create_WorkingDirMissing_RefusedWithReason()
    {
        var workload = Workload("web") with
        {
            Source = new SourceLocation("workloads.yaml", 3) { Directory = _directory },
            Spec = Workload("web").Spec with { WorkingDir = "./nowhere" },
        };

        Assert.Null(MeshPlan.Create(Inputs(workload), out var problems));
        Assert.Contains("does not exist", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Sidecar_ArgumentsPerContract()
    {
        var workload = Workload("web") with
        {
            Metadata = new ObjectMeta
            {
                Name = "web",
                Namespace = "shop",
                Labels = ImmutableSortedDictionary.CreateRange<string, string>(StringComparer.Ordinal, [new("app", "web"), new("version", "v1")]),
            },
            Spec = Workload("web").Spec with
            {
                ServiceAccount = "web-sa",
                Ports = [new WorkloadPort { Name = "http", ContainerPort = 8080 }],
                ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/healthz", Port = "http" } },
            },
        };

        var sidecar = Plan(workload).Pods[0].Sidecar;

        Assert.Equal("/opt/heddle-proxy", sidecar.FileName);
        Assert.Equal(
            ["--discovery", "http://127.20.0.1:15010", "--pod-ip", "127.20.1.1", "--pod-name", "web-0", "--namespace", "shop",
             "--workload", "web", "--service-account", "web-sa", "--label", "app=web", "--label", "version=v1",
             "--readiness", "http:8080:/healthz", "--parent-pid", "4242", "--access-log", "off"],
            sidecar.Arguments);
        Assert.Null(sidecar.Environment["HTTP_PROXY"]);
    }

    [Theory]
    [InlineData(null, 9000, null, "tcp:9000")]
    [InlineData("", 9000, "http", "http:9000:/")]
    [InlineData("ready", 9000, "http", "http:9000:/ready")]
    public void ReadinessArgument_Probe_ProxyFlag(string? path, int port, string? kind, string expected)
    {
        var probe = kind == "http"
            ? new Probe { HttpGet = new HttpGetAction { Path = path, Port = port } }
            : new Probe { TcpSocket = new TcpSocketAction { Port = port } };
        var workload = Workload("web") with { Spec = Workload("web").Spec with { ReadinessProbe = probe } };

        Assert.Equal(expected, MeshPlan.ReadinessArgument(workload, out string? error));
        Assert.Null(error);
    }

    [Fact]
    public void ReadinessArgument_NoProbe_None()
    {
        Assert.Null(MeshPlan.ReadinessArgument(Workload("web"), out string? error));
        Assert.Null(error);
    }

    [Fact]
    public void Create_ProbeOnUndeclaredPortName_RefusedWithReason()
    {
        var workload = Workload("web") with
        {
            Spec = Workload("web").Spec with { ReadinessProbe = new Probe { TcpSocket = new TcpSocketAction { Port = "grpc" } } },
        };

        Assert.Null(MeshPlan.Create(Inputs(workload), out var problems));
        Assert.Contains("no port named 'grpc'", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CommandNotOnPath_RefusedWithFileAndLine()
    {
        var workload = Workload("web") with
        {
            Source = new SourceLocation("workloads.yaml", 7),
            Spec = Workload("web").Spec with { Command = ["no-such-program-heddle"] },
        };

        Assert.Null(MeshPlan.Create(Inputs(workload), out var problems));
        Assert.StartsWith("workloads.yaml:7 LocalWorkload web: cannot run no-such-program-heddle", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ControlPlane_StartsThisCliWithTheContractFlags()
    {
        var plan = Plan(Workload("web"));

        Assert.Equal("/opt/dotnet", plan.ControlPlane.FileName);
        Assert.Equal(
            ["heddle.dll", "control-plane", "--config", "/config", "--listen", "127.20.0.1:15010", "--monitoring", "127.20.0.1:15014", "--parent-pid", "4242"],
            plan.ControlPlane.Arguments);
    }

    [Fact]
    public void Create_ControlPlane_RunsWithoutTieredCompilation()
    {
        var environment = Plan(Workload("web")).ControlPlane.Environment;

        Assert.Equal("0", environment["DOTNET_TieredCompilation"]);
    }

    [Fact]
    public void Create_UserSetTieredCompilation_ControlPlaneInheritsItUnchanged()
    {
        var plan = MeshPlan.Create(Inputs(Workload("web")) with { TieredCompilation = "1" }, out _)!;

        Assert.False(plan.ControlPlane.Environment.ContainsKey("DOTNET_TieredCompilation"));
    }

    [Fact]
    public void Create_RunDirectoryAndTokens_ControlPlaneKeepsItsCaThereAndEachWorkloadGetsItsOwnToken()
    {
        int issued = 0;
        var inputs = Inputs(Workload("web", replicas: 2), Workload("client")) with
        {
            RunDirectory = "/run/mesh",
            TokenFactory = () => "token-" + ++issued,
            WorkloadCertificateLifetime = TimeSpan.FromSeconds(20),
        };

        var plan = MeshPlan.Create(inputs, out var problems)!;

        Assert.Empty(problems);
        var arguments = plan.ControlPlane.Arguments.ToList();
        Assert.Equal("/run/mesh/ca", arguments[arguments.IndexOf("--ca-dir") + 1]);
        Assert.Equal("/run/mesh/proxy-tokens", arguments[arguments.IndexOf("--tokens-file") + 1]);
        Assert.Equal("00:00:20", arguments[arguments.IndexOf("--workload-cert-ttl") + 1]);
        Assert.Equal([("token-1", "shop", "default"), ("token-2", "shop", "default")], plan.Tokens);
        Assert.Equal(["token-1", "token-1", "token-2"], plan.Pods.Select(p => p.Sidecar.Environment[MeshPlan.ProxyTokenVariable]));
        Assert.DoesNotContain(plan.Pods, p => p.Sidecar.Arguments.Any(a => a.StartsWith("token-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Create_RunDirectory_SidecarsReachTheControlPlaneOverTlsVerifiedWithTheCaRoot()
    {
        var inputs = Inputs(Workload("web")) with { RunDirectory = "/run/mesh" };

        var plan = MeshPlan.Create(inputs, out var problems)!;

        Assert.Empty(problems);
        var controlPlane = plan.ControlPlane.Arguments.ToList();
        Assert.Equal("127.20.0.1:15012", controlPlane[controlPlane.IndexOf("--listen-tls") + 1]);
        var sidecar = plan.Pods[0].Sidecar.Arguments.ToList();
        Assert.Equal("https://127.20.0.1:15012", sidecar[sidecar.IndexOf("--discovery") + 1]);
        Assert.Equal("/run/mesh/ca/root-cert.pem", sidecar[sidecar.IndexOf("--discovery-root-cert") + 1]);
    }

    [Fact]
    public void Create_NoRunDirectory_SidecarsUseThePlaintextLocalPort()
    {
        var plan = Plan(Workload("web"));

        Assert.DoesNotContain("--listen-tls", plan.ControlPlane.Arguments);
        var sidecar = plan.Pods[0].Sidecar.Arguments.ToList();
        Assert.Equal("http://127.20.0.1:15010", sidecar[sidecar.IndexOf("--discovery") + 1]);
        Assert.DoesNotContain("--discovery-root-cert", sidecar);
    }

    private static MeshPlan Plan(params LocalWorkload[] workloads)
    {
        var plan = MeshPlan.Create(Inputs(workloads), out var problems);
        Assert.Empty(problems);
        return plan!;
    }

    private static MeshPlanInputs Inputs(params LocalWorkload[] workloads)
    {
        Assert.True(PodIpAllocator.TryParse("127.20.0.0/16", out var addresses, out _));
        return new MeshPlanInputs
        {
            Config = new ConfigSet { LocalWorkloads = [.. workloads] },
            ConfigDirectory = "/config",
            Addresses = addresses,
            Proxy = new ProcessCommand("/opt/heddle-proxy", []),
            Self = new ProcessCommand("/opt/dotnet", ["heddle.dll"]),
            ParentPid = 4242,
            CurrentDirectory = Environment.CurrentDirectory,
            Path = "/usr/bin:/bin",
        };
    }

    private static LocalWorkload Workload(string name, int replicas = 1) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "shop" },
        Spec = new LocalWorkloadSpec { Command = ["true"], Replicas = replicas },
    };
}
