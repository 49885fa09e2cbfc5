using System.Net;
using System.Text.Json;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Forwarding;

/// <summary>
/// Real programs on both ends, as in the local mesh: a Python client that only knows http_proxy, and Python servers
/// (httpbin, http.server, which answers HTTP/1.0) behind a server sidecar.
/// </summary>
public sealed class RealWorkloadTests : IAsyncLifetime
{
    private readonly TestSubnet _net = TestSubnet.Next();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _client = null!;
    private TestProxy _server = null!;
    private PythonProcess _httpbin = null!;
    private PythonProcess _files = null!;

    public async Task InitializeAsync()
    {
        var serverIp = _net.Address(3);
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        _httpbin = await PythonProcess.StartAsync(new IPEndPoint(serverIp, 8000), null, "-m", "httpbin.core", "--host", serverIp.ToString(), "--port", "8000");
        _files = await PythonProcess.StartAsync(new IPEndPoint(serverIp, 8080), null, "-m", "http.server", "--bind", serverIp.ToString(), "8080", "--directory", AppContext.BaseDirectory);
        var httpbin = ClusterName("httpbin", 8000);
        var files = ClusterName("files", 80);
        _controlPlane.SetSnapshot("client-0.default", Full("1",
            Cluster(httpbin, Endpoint(serverIp.ToString(), 8000, $"{serverIp}:15006")),
            Cluster(files, Endpoint(serverIp.ToString(), 8080, $"{serverIp}:15006")),
            VirtualHost("httpbin", 8000, Route(httpbin)),
            VirtualHost("files", 80, Route(files))));
        _controlPlane.SetSnapshot("server-0.default", Full("1", Inbound(serverIp.ToString(), (8000, Protocol.Http), (8080, Protocol.Http))));
        _client = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        _server = await TestProxy.StartAsync(serverIp, _controlPlane.Address, "server-0");
        await _client.WaitForVersionAsync("1");
        await _server.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _httpbin.DisposeAsync();
        await _files.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }

    [Fact]
    public async Task PythonClientWithHttpProxy_ReachesHttpbinByServiceName()
    {
        var output = await PythonProcess.RunAsync(
            new Dictionary<string, string> { ["http_proxy"] = _client.OutboundProxy.ToString(), ["no_proxy"] = "" },
            "import urllib.request; print(urllib.request.urlopen('http://httpbin:8000/anything/hello?x=1').read().decode())");

        using var echo = JsonDocument.Parse(output);
        Assert.Equal("http://httpbin:8000/anything/hello?x=1", echo.RootElement.GetProperty("url").GetString());
        var headers = echo.RootElement.GetProperty("headers");
        Assert.Equal("httpbin:8000", headers.GetProperty("Host").GetString());
        Assert.False(headers.TryGetProperty("X-Heddle-Inbound-Port", out _));
    }

    [Fact]
    public async Task StatusAndHeadersFromApp_ReachClientUnchanged()
    {
        using var http = _client.CreateProxiedClient();

        using var teapot = await http.GetAsync("http://httpbin:8000/status/418");
        using var headers = await http.GetAsync("http://httpbin:8000/response-headers?x-from-app=yes");

        Assert.Equal((HttpStatusCode)418, teapot.StatusCode);
        Assert.Equal("yes", headers.Headers.GetValues("x-from-app").Single());
    }

    [Fact]
    public async Task Http10App_BehindSidecar_AnswersThroughPair()
    {
        using var http = _client.CreateProxiedClient();

        var listing = await http.GetStringAsync("http://files/");
        var again = await http.GetStringAsync("http://files.default.svc.cluster.local/");

        Assert.Contains("heddle-proxy.dll", listing);
        Assert.Equal(listing, again);
    }
}
