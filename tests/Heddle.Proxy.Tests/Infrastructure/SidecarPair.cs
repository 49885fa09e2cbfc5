using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Configuration;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>
/// A client workload's sidecar ("client-0") and a server workload's sidecar ("web-0") on one fake control plane, with
/// a real application ("web-v1") on the server's pod IP, as in a mesh. A test class gives the two snapshots (version
/// "1") and, where it needs to, the proxies' options.
/// </summary>
internal sealed class SidecarPair : IAsyncDisposable
{
    public const int ServicePort = 8000;
    public const int AppPort = 8080;

    private SidecarPair(TestSubnet net)
    {
        ClientIp = net.Address(2);
        ServerIp = net.Address(3);
    }

    public IPAddress ClientIp { get; }

    public IPAddress ServerIp { get; }

    /// <summary>The server sidecar's inbound listener, as the client's endpoints name it.</summary>
    public string Inbound => $"{ServerIp}:15006";

    public FakeControlPlane ControlPlane { get; private set; } = null!;

    public HttpUpstream App { get; private set; } = null!;

    public TestProxy Client { get; private set; } = null!;

    public TestProxy Server { get; private set; } = null!;

    /// <param name="snapshots">Sets both proxies' snapshots on <see cref="ControlPlane"/>.</param>
    public static async Task<SidecarPair> StartAsync(
        TestSubnet net,
        Action<SidecarPair> snapshots,
        Func<ProxyOptions, ProxyOptions>? client = null,
        Func<ProxyOptions, ProxyOptions>? server = null)
    {
        var pair = new SidecarPair(net);
        pair.ControlPlane = await FakeControlPlane.StartAsync(net.ControlPlane);
        pair.App = await HttpUpstream.StartAsync(pair.ServerIp, AppPort, "web-v1");
        snapshots(pair);
        var clientOptions = TestProxy.Options(pair.ClientIp, pair.ControlPlane.Address, "client-0");
        var serverOptions = TestProxy.Options(pair.ServerIp, pair.ControlPlane.Address, "web-0");
        pair.Client = await TestProxy.StartAsync(client is null ? clientOptions : client(clientOptions));
        pair.Server = await TestProxy.StartAsync(server is null ? serverOptions : server(serverOptions));
        await pair.Client.WaitForVersionAsync("1");
        await pair.Server.WaitForVersionAsync("1");
        return pair;
    }

    /// <summary>The plainest mesh: "web:8000" on the client side routes to the application through the server's
    /// sidecar, which declares the application's HTTP port.</summary>
    public static void WebService(SidecarPair pair)
    {
        var cluster = ClusterName("web", ServicePort);
        pair.ControlPlane.SetSnapshot("client-0.default", Full(
            "1",
            Cluster(cluster, Endpoint(pair.ServerIp.ToString(), AppPort, pair.Inbound)),
            VirtualHost("web", ServicePort, Route(cluster))));
        pair.ControlPlane.SetSnapshot("web-0.default", Full("1", MeshConfig.Inbound(pair.ServerIp.ToString(), (AppPort, Protocol.Http))));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await App.DisposeAsync();
        await ControlPlane.DisposeAsync();
    }
}
