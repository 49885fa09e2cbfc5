using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Heddle.ControlPlane.Security;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Discovery;

public sealed class DiscoveryServiceTests
{
    private const string WebCluster = "cluster/outbound|8000||web.default.svc.cluster.local";
    private const string WebVirtualHost = "vhost/web.default.svc.cluster.local:8000";

    private static Task<TestControlPlane> StartAsync() => TestControlPlane.StartAsync(("web.yaml", MeshConfig.Web));

    private static Cluster ClusterIn(DiscoveryResponse response, string name) => response.Upserted.Single(r => r.Name == name).Cluster;

    [Fact]
    public async Task Stream_FirstResponse_IsFullSnapshot()
    {
        await using var controlPlane = await StartAsync();
        using var proxy = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");

        await proxy.HelloAsync();
        var full = await proxy.ReadAsync();

        Assert.Equal("", full.BaseVersion);
        Assert.NotEqual("", full.Version);
        Assert.Empty(full.Removed);
        var names = full.Upserted.Select(r => r.Name).ToList();
        Assert.Contains(WebCluster, names);
        Assert.Contains("cluster/outbound|8000|v1|web.default.svc.cluster.local", names);
        Assert.Contains(WebVirtualHost, names);
        Assert.Contains("inbound", names);
        Assert.Contains("settings", names);
    }

    [Fact]
    public async Task Stream_AckThenConfigChange_SendsOnlyTheDelta()
    {
        await using var controlPlane = await StartAsync();
        using var proxy = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");
        var full = await proxy.HelloAndAckAsync();

        controlPlane.Directory.Write("web.yaml", MeshConfig.Web.Replace("weight: 80", "weight: 50", StringComparison.Ordinal).Replace("weight: 20", "weight: 50", StringComparison.Ordinal));
        var delta = await proxy.ReadAsync();

        Assert.Equal(full.Version, delta.BaseVersion);
        Assert.Equal([WebVirtualHost], delta.Upserted.Select(r => r.Name));
        Assert.Empty(delta.Removed);
        var split = delta.Upserted[0].VirtualHost.Routes[1];
        Assert.Equal([50u, 50u], split.Clusters.Select(c => c.Weight));
    }

    [Fact]
    public async Task Stream_ConfigSaved_ReachesTheProxyWithinASecond()
    {
        await using var controlPlane = await StartAsync();
        using var proxy = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");
        await proxy.HelloAndAckAsync();

        var saved = Stopwatch.StartNew();
        controlPlane.Directory.Write("shop.yaml", MeshConfig.Shop);
        var delta = await proxy.ReadAsync();

        Assert.True(saved.Elapsed < TimeSpan.FromSeconds(1), $"the change arrived after {saved.Elapsed}");
        Assert.Contains("vhost/api.shop.svc.cluster.local:9000", delta.Upserted.Select(r => r.Name));
    }

    [Fact]
    public async Task Stream_RequestsWithoutHealth_KeepReportedHealth()
    {
        await using var controlPlane = await StartAsync();
        using var web = controlPlane.Connect("web-v1-0", "default", "web-v1", "127.0.1.1");
        await web.HelloAndAckAsync();

        await web.ReportHealthAsync(WorkloadHealth.Unknown);
        controlPlane.Directory.Write("shop.yaml", MeshConfig.Shop);
        var delta = await web.ReadAsync();
        await web.AckAsync(delta);

        // Requests are handled in order: once the ack counts, the report before it has been handled too.
        Assert.True(await Eventually.HoldsAsync(() => controlPlane.Server.Connections.All.Single().GetStatus().AckedVersion == delta.Version));
        Assert.True(Assert.Single(controlPlane.Server.Pods.Pods).IsHealthy);
    }

    [Fact]
    public async Task Stream_Nack_NextDeltaIsComputedAgainstLastAckedVersion()
    {
        await using var controlPlane = await StartAsync();
        using var proxy = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");
        var full = await proxy.HelloAndAckAsync();

        controlPlane.Directory.Write("extra.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: extra}
            spec:
              selector: {app: extra}
              ports: [{name: http, port: 7000}]
            """);
        var rejected = await proxy.ReadAsync();
        Assert.Equal(full.Version, rejected.BaseVersion);
        await proxy.NackAsync(rejected, full.Version, "cluster extra is not welcome");
        Assert.True(await Eventually.HoldsAsync(() => controlPlane.Logs.Lines.Any(l => l.Contains("cluster extra is not welcome", StringComparison.Ordinal))));

        controlPlane.Directory.Write("web.yaml", MeshConfig.Web.Replace("weight: 80", "weight: 70", StringComparison.Ordinal).Replace("weight: 20", "weight: 30", StringComparison.Ordinal));
        var next = await proxy.ReadAsync();

        Assert.Equal(full.Version, next.BaseVersion);
        Assert.Equal(
            ["cluster/outbound|7000||extra.default.svc.cluster.local", "vhost/extra.default.svc.cluster.local:7000", WebVirtualHost],
            next.Upserted.Select(r => r.Name));
        var status = controlPlane.Server.Connections.All.Single().GetStatus();
        Assert.Equal(full.Version, status.AckedVersion);
        Assert.Equal(1, status.Rejections);
    }

    [Fact]
    public async Task Stream_PodConnectsAndDisconnects_OtherProxiesGainAndLoseItsEndpoint()
    {
        await using var controlPlane = await StartAsync();
        using var client = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");
        var full = await client.HelloAndAckAsync();
        Assert.Empty(ClusterIn(full, WebCluster).Endpoints);

        using var web = controlPlane.Connect("web-v1-0", "default", "web-v1", "127.0.1.1");
        await web.HelloAndAckAsync();
        var joined = await client.ReadAsync();
        await client.AckAsync(joined);
        var endpoint = Assert.Single(ClusterIn(joined, WebCluster).Endpoints);
        Assert.Equal(("127.0.1.1", 8080u, "127.0.1.1:15006"), (endpoint.Address, endpoint.Port, endpoint.Sidecar));

        await web.CloseAsync();
        var left = await client.ReadAsync();

        Assert.Equal(joined.Version, left.BaseVersion);
        Assert.Empty(ClusterIn(left, WebCluster).Endpoints);
        Assert.True(await Eventually.HoldsAsync(() => controlPlane.Server.Pods.Pods.Length == 1));
    }

    [Fact]
    public async Task Stream_BrokenWithoutGoodbye_PodKeepsItsEndpointWhileItsProxyReconnects()
    {
        await using var controlPlane = await StartAsync();
        using var client = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");
        await client.HelloAndAckAsync();
        var web = controlPlane.Connect("web-v1-0", "default", "web-v1", "127.0.1.1");
        await web.HelloAndAckAsync();
        var joined = await client.ReadAsync();
        await client.AckAsync(joined);

        web.Dispose();

        Assert.True(await Eventually.HoldsAsync(() => controlPlane.Server.Pods.ConnectedCount == 1));
        Assert.Equal(2, controlPlane.Server.Pods.Pods.Length);
        using var again = controlPlane.Connect("web-v1-0", "default", "web-v1", "127.0.1.1");
        var resumed = await again.HelloAndAckAsync();
        Assert.Single(ClusterIn(resumed, WebCluster).Endpoints);
        Assert.Equal(2, controlPlane.Server.Pods.ConnectedCount);
    }

    [Fact]
    public async Task Stream_ProxyWithoutAValidToken_GetsConfigurationButIsNoEndpoint()
    {
        var tokens = Path.Combine(Directory.CreateTempSubdirectory("heddle-tokens-").FullName, "proxy-tokens");
        TokenFileAuthenticator.Write(tokens, [("client-token", "default", "default"), ("web-token", "default", "default")]);
        await using var controlPlane = await TestControlPlane.StartAsync(tokens, ("web.yaml", MeshConfig.Web));
        using var client = controlPlane.Connect("client-0", "default", "client", "127.0.3.1", token: "client-token");
        await client.HelloAndAckAsync();

        using var impostor = controlPlane.Connect("web-v1-0", "default", "web-v1", "127.0.1.1", token: "guessed");
        var impostorSnapshot = await impostor.HelloAndAckAsync();
        using var web = controlPlane.Connect("web-v2-0", "default", "web-v2", "127.0.2.1", token: "web-token");
        await web.HelloAndAckAsync();
        var joined = await client.ReadAsync();

        Assert.NotEmpty(impostorSnapshot.Upserted);
        Assert.Equal(["127.0.2.1"], ClusterIn(joined, WebCluster).Endpoints.Select(e => e.Address));
        Assert.Equal(["client-0.default", "web-v2-0.default"], controlPlane.Server.Pods.Pods.Select(p => p.Id));
    }

    [Fact]
    public async Task Stream_HealthReportedLater_EndpointAppearsWhenHealthy()
    {
        await using var controlPlane = await StartAsync();
        using var client = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");
        await client.HelloAndAckAsync();
        using var web = controlPlane.Connect("web-v2-0", "default", "web-v2", "127.0.2.1", WorkloadHealth.Unknown);
        await web.HelloAndAckAsync();

        await web.ReportHealthAsync(WorkloadHealth.Healthy);
        var delta = await client.ReadAsync();

        Assert.Equal(["127.0.2.1"], ClusterIn(delta, WebCluster).Endpoints.Select(e => e.Address));
        Assert.Equal(["127.0.2.1"], ClusterIn(delta, "cluster/outbound|8000|v2|web.default.svc.cluster.local").Endpoints.Select(e => e.Address));
    }

    [Fact]
    public async Task Stream_FirstRequestWithoutNode_FailsWithInvalidArgument()
    {
        await using var controlPlane = await StartAsync();
        using var proxy = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");

        await proxy.AckAsync(new DiscoveryResponse());
        var exception = await Assert.ThrowsAsync<RpcException>(proxy.ReadAsync);

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
    }

    [Fact]
    public async Task DebugProxies_AfterAck_ReportsSynced()
    {
        await using var controlPlane = await StartAsync();
        using var proxy = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");
        var full = await proxy.HelloAndAckAsync();
        using var http = controlPlane.Monitoring();

        JsonElement entry = default;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync("/debug/proxies"));
            entry = document.RootElement[0].Clone();
            return entry.GetProperty("status").GetString() == "SYNCED";
        }));

        Assert.Equal("client-0.default", entry.GetProperty("id").GetString());
        Assert.Equal("client-0", entry.GetProperty("podName").GetString());
        Assert.Equal("default", entry.GetProperty("namespace").GetString());
        Assert.Equal("client", entry.GetProperty("workload").GetString());
        Assert.Equal("127.0.3.1", entry.GetProperty("podIp").GetString());
        Assert.Equal("HEALTHY", entry.GetProperty("health").GetString());
        Assert.Equal(full.Version, entry.GetProperty("ackedVersion").GetString());
        Assert.Equal(full.Version, entry.GetProperty("latestVersion").GetString());
        Assert.Equal("ready\n", await http.GetStringAsync("/ready"));
    }

    [Fact]
    public async Task Shutdown_ConnectedProxy_StreamEndsPromptly()
    {
        await using var controlPlane = await StartAsync();
        using var proxy = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");
        await proxy.HelloAndAckAsync();

        var stopped = Stopwatch.StartNew();
        await controlPlane.Server.DisposeAsync();

        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(3), $"shutdown took {stopped.Elapsed}");
        Assert.False(await proxy.TryReadAsync());
    }
}
