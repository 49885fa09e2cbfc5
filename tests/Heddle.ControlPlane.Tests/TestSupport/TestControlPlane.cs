using System.Net;
using Grpc.Net.Client;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.TestSupport;

/// <summary>A real control plane on 127.0.0.1 (ports chosen by the system) serving a temporary config directory.</summary>
internal sealed class TestControlPlane : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];

    private TestControlPlane(TempConfigDirectory directory, ControlPlaneServer server, CapturingLoggerFactory logs)
    {
        Directory = directory;
        Server = server;
        Logs = logs;
    }

    public TempConfigDirectory Directory { get; }

    public ControlPlaneServer Server { get; }

    public CapturingLoggerFactory Logs { get; }

    public static Task<TestControlPlane> StartAsync(params (string File, string Yaml)[] files) => StartAsync(tokensFile: null, files);

    /// <summary>A control plane that believes only the proxies whose token is in <paramref name="tokensFile"/>.</summary>
    public static async Task<TestControlPlane> StartAsync(string? tokensFile, params (string File, string Yaml)[] files)
    {
        var directory = new TempConfigDirectory();
        foreach (var (file, yaml) in files)
        {
            directory.Write(file, yaml);
        }

        var logs = new CapturingLoggerFactory();
        var options = new ControlPlaneOptions
        {
            ConfigDirectory = directory.Path,
            DiscoveryEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            MonitoringEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            TokensFile = tokensFile,
        };
        var server = await ControlPlaneServer.StartAsync(options, logs, CancellationToken.None);
        return new TestControlPlane(directory, server, logs);
    }

    public ProxyClient Connect(string podName, string ns, string workload, string podIp, WorkloadHealth health = WorkloadHealth.Healthy, string token = "")
    {
        var channel = GrpcChannel.ForAddress($"http://{Server.DiscoveryEndpoint}");
        _channels.Add(channel);
        var client = new global::Heddle.Discovery.V1.Discovery.DiscoveryClient(channel);
        var node = new Node { Id = $"{podName}.{ns}", PodName = podName, Namespace = ns, Workload = workload, PodIp = podIp, Token = token };
        return new ProxyClient(client.Stream(), node, health);
    }

    public HttpClient Monitoring() => new() { BaseAddress = new Uri($"http://{Server.MonitoringEndpoint}") };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        Directory.Dispose();
    }
}
