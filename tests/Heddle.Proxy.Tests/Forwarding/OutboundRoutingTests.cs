using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Forwarding;

/// <summary>
/// Routing decisions of the outbound listener against real upstreams connected to directly (no peer sidecar):
/// header and uri routes, subsets, and the response flags of requests that cannot be forwarded.
/// </summary>
public sealed class OutboundRoutingTests : IAsyncLifetime
{
    private const int Port = 8000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private HttpUpstream _v1 = null!;
    private HttpUpstream _v2 = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        _v1 = await HttpUpstream.StartAsync(_net.Address(10), 8080, "web-v1");
        _v2 = await HttpUpstream.StartAsync(_net.Address(11), 8080, "web-v2");
        var v1 = ClusterName("web", Port, "v1");
        var v2 = ClusterName("web", Port, "v2");
        var empty = ClusterName("empty", Port);
        var closed = ClusterName("closed", Port);
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            Cluster(v1, Endpoint(_v1.Endpoint.Address.ToString(), 8080)),
            Cluster(v2, Endpoint(_v2.Endpoint.Address.ToString(), 8080)),
            Cluster(empty),
            // Nothing listens on port 1 of this address: every connection attempt is refused.
            Cluster(closed, Endpoint(_net.Address(12).ToString(), 1), Endpoint(_net.Address(13).ToString(), 1)),
            VirtualHost("web", Port,
                Route(v2, HeaderExact("x-version", "v2")),
                Route(v2, UriPrefix("/v2/")),
                Route(v1, UriRegex("/v1/[0-9]+")),
                Route(v1, UriPrefix("/api"))),
            VirtualHost("empty", Port, Route(empty)),
            // The control plane gives every route Istio's default retry policy unless its VirtualService says otherwise.
            VirtualHost("closed", Port, WithDefaultRetries(Route(closed))),
            Settings(ProxySettings.Types.OutboundTrafficPolicy.RegistryOnly)));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
        _http = _proxy.CreateProxiedClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _proxy.DisposeAsync();
        await _v1.DisposeAsync();
        await _v2.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }

    [Fact]
    public async Task HeaderMatch_PicksSubsetV2()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://web:{Port}/api/items");
        request.Headers.Add("x-version", "v2");

        using var response = await _http.SendAsync(request);

        Assert.Equal("web-v2", response.Headers.GetValues("x-upstream").Single());
    }

    [Fact]
    public async Task NoHeader_FallsThroughToUriRouteOfV1()
    {
        var body = await _http.GetStringAsync($"http://web.default.svc.cluster.local:{Port}/api/items");

        Assert.Equal("web-v1", HttpUpstream.Parse(body)["server"]);
    }

    [Theory]
    [InlineData("/v2/page", "web-v2")]
    [InlineData("/v1/42", "web-v1")]
    public async Task UriMatch_PicksRouteInOrder(string path, string expected)
    {
        var body = await _http.GetStringAsync($"http://web.default:{Port}{path}");

        Assert.Equal(expected, HttpUpstream.Parse(body)["server"]);
    }

    [Fact]
    public async Task HostIsMatchedCaseInsensitively()
    {
        var body = await _http.GetStringAsync($"http://WEB.Default:{Port}/api");

        Assert.Equal("web-v1", HttpUpstream.Parse(body)["server"]);
    }

    [Fact]
    public async Task NoMatchingRoute_Returns404NoRoute()
    {
        using var response = await _http.GetAsync($"http://web:{Port}/v1/not-a-number");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/v1/not-a-number"), "the access log line");
        Assert.Contains(" 404 NR ", line);
        Assert.Equal(0, _v1.Requests + _v2.Requests);
    }

    [Fact]
    public async Task UnknownHost_WithRegistryOnly_Returns502NoRoute()
    {
        // Istio's BlackHoleCluster: 502 with response flag NR.
        using var response = await _http.GetAsync($"http://{_v1.Endpoint}/direct");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/direct"), "the access log line");
        Assert.Contains(" 502 NR ", line);
    }

    [Fact]
    public async Task ClusterWithoutEndpoints_Returns503NoHealthyUpstream()
    {
        using var response = await _http.GetAsync($"http://empty:{Port}/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no healthy upstream\n", await response.Content.ReadAsStringAsync());
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("\"empty:8000\""), "the access log line");
        Assert.Contains(" 503 UH ", line);
    }

    [Fact]
    public async Task RefusedConnections_AreRetriedThenReturn503ConnectFailure()
    {
        using var response = await _http.GetAsync($"http://closed:{Port}/x");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("\"closed:8000\""), "the access log line");
        Assert.Contains(" 503 UF,URX ", line);
    }
}
