using System.Net;
using System.Text.Json;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Admin;

/// <summary>The admin (15000) and readiness (15021) listeners of a running proxy.</summary>
public sealed class AdminListenerTests : IAsyncLifetime
{
    private const string Node = "web-0.default";

    private readonly TestSubnet _net = TestSubnet.Next();
    private readonly HttpClient _http = new();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "web-0");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _proxy.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }

    [Fact]
    public async Task Ready_IsUnavailableUntilFirstConfigurationIsApplied()
    {
        await Eventually.WaitAsync(() => _controlPlane.IsConnected(Node), "the proxy to connect");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.GetAsync(new Uri(_proxy.Admin, "/ready"))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _http.GetAsync(new Uri(_proxy.Readiness, "/healthz/ready"))).StatusCode);

        await _controlPlane.PushAsync(Node, Full("1"));
        await _proxy.WaitForVersionAsync("1");

        Assert.Equal("LIVE\n", await _http.GetStringAsync(new Uri(_proxy.Admin, "/ready")));
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(_proxy.Readiness, "/healthz/ready"))).StatusCode);
    }

    [Fact]
    public async Task Clusters_ListsEveryEndpointWithHealthWeightAndActiveRequests()
    {
        var cluster = ClusterName("web", 8000);
        await _controlPlane.PushAsync(Node, Full("3", Cluster(cluster, Endpoint("10.0.0.1", 8080, "10.0.0.1:15006"))));
        await _proxy.WaitForVersionAsync("3");

        var text = await _http.GetStringAsync(new Uri(_proxy.Admin, "/clusters"));

        Assert.Contains($"{cluster}::10.0.0.1:8080::health_flags::healthy\n", text);
        Assert.Contains($"{cluster}::10.0.0.1:8080::weight::0\n", text);
        Assert.Contains($"{cluster}::10.0.0.1:8080::rq_active::0\n", text);
        Assert.Contains($"{cluster}::10.0.0.1:8080::sidecar::10.0.0.1:15006\n", text);
    }

    [Fact]
    public async Task Logging_PostLevel_ChangesTheProxysLogLevel()
    {
        Assert.Contains("heddle: warning", await _http.GetStringAsync(new Uri(_proxy.Admin, "/logging")));

        using var changed = await _http.PostAsync(new Uri(_proxy.Admin, "/logging?level=debug"), null);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("heddle: debug", await changed.Content.ReadAsStringAsync());
        Assert.True(_proxy.Host.LoggingLevel.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug));
        using var bad = await _http.PostAsync(new Uri(_proxy.Admin, "/logging?level=loud"), null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _http.GetAsync(new Uri(_proxy.Admin, "/logging?level=info"))).StatusCode);
    }

    [Fact]
    public async Task ConfigDump_ShowsVersionAndResourcesAsJson()
    {
        var cluster = ClusterName("web", 8000);
        await _controlPlane.PushAsync(Node, Full("7",
            Cluster(cluster, Endpoint("10.0.0.1", 8080, "10.0.0.1:15006")),
            VirtualHost("web", 8000, Route(cluster, HeaderExact("x-version", "v2"))),
            Inbound(_net.Address(2).ToString(), (8080, Heddle.Discovery.V1.Protocol.Http))));
        await _proxy.WaitForVersionAsync("7");

        using var response = await _http.GetAsync(new Uri(_proxy.Admin, "/config_dump"));
        using var dump = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = dump.RootElement;
        Assert.Equal("7", root.GetProperty("version").GetString());
        Assert.Equal(Node, root.GetProperty("node").GetString());
        Assert.True(root.GetProperty("controlPlaneConnected").GetBoolean());
        var resources = root.GetProperty("resources").EnumerateArray().ToArray();
        Assert.Equal(["cluster/" + cluster, "inbound", "vhost/web.default.svc.cluster.local:8000"], resources.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal("10.0.0.1:15006", resources[0].GetProperty("cluster").GetProperty("endpoints")[0].GetProperty("sidecar").GetString());
        Assert.Equal("x-version", resources[2].GetProperty("virtualHost").GetProperty("routes")[0].GetProperty("matches")[0].GetProperty("headers")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task QuitQuitQuit_OnlyAcceptsPost_AndStopsTheProxy()
    {
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _http.GetAsync(new Uri(_proxy.Admin, "/quitquitquit"))).StatusCode);

        using var response = await _http.PostAsync(new Uri(_proxy.Admin, "/quitquitquit"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stopped = _proxy.Host.WaitForShutdownAsync();
        Assert.Same(stopped, await Task.WhenAny(stopped, Task.Delay(Eventually.DefaultTimeout)));
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync(new Uri(_proxy.Admin, "/ready")));
    }

    [Fact]
    public async Task Stats_ReportsMemoryAndGarbageCollection()
    {
        using var stats = JsonDocument.Parse(await _http.GetStringAsync(new Uri(_proxy.Admin, "/stats")));

        Assert.True(stats.RootElement.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(stats.RootElement.GetProperty("gcTotalAllocatedBytes").GetInt64() > 0);
    }

    [Fact]
    public async Task UnknownAdminPath_Returns404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri(_proxy.Admin, "/nope"))).StatusCode);
    }
}
