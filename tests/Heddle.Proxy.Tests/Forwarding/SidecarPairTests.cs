using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.Proxy.Tests.Forwarding;

/// <summary>
/// A client workload's sidecar and a server workload's sidecar, as in a mesh: the client sends through its sidecar
/// (HTTP_PROXY), which sends the request on to the server's sidecar, which forwards to the application on the server's
/// pod IP.
/// </summary>
public sealed class SidecarPairTests : IAsyncLifetime
{
    private const int ServicePort = SidecarPair.ServicePort;

    private SidecarPair _pair = null!;
    private TestProxy _client = null!;
    private TestProxy _server = null!;
    private HttpUpstream _app = null!;

    public async Task InitializeAsync()
    {
        _pair = await SidecarPair.StartAsync(TestSubnet.Next(), SidecarPair.WebService);
        (_client, _server, _app) = (_pair.Client, _pair.Server, _pair.App);
    }

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task AbsoluteFormRequest_ThroughPeerSidecar_ReachesAppWithOriginalHost()
    {
        using var http = _client.CreateProxiedClient();

        using var response = await http.GetAsync($"http://web:{ServicePort}/hello?x=1");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var seen = HttpUpstream.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("web-v1", seen["server"]);
        Assert.Equal($"web:{ServicePort}", seen["host"]);
        Assert.Equal("/hello?x=1", seen["path"]);
        Assert.Equal("HTTP/1.1", seen["protocol"]);
        Assert.Equal("", seen["inbound-port"]);

        var outbound = await _client.AccessLog.WaitForLineAsync(l => l.Contains("/hello"), "the client sidecar's access log line");
        Assert.Contains("\"GET /hello?x=1 HTTP/1.1\" 200 -", outbound);
        Assert.Contains($"\"{_server.InboundSidecar}\" outbound|8000||web.default.svc.cluster.local", outbound);
        var inbound = await _server.AccessLog.WaitForLineAsync(l => l.Contains("/hello"), "the server sidecar's access log line");
        // The sidecar hop carries HTTP/1.1 requests as HTTP/1.1 (Istio's default h2UpgradePolicy DO_NOT_UPGRADE).
        Assert.Contains("\"GET /hello?x=1 HTTP/1.1\" 200 -", inbound);
        Assert.Contains("inbound|8080|http|", inbound);
    }

    [Fact]
    public async Task PostWithBody_ThroughPeerSidecar_ArrivesWhole()
    {
        using var http = _client.CreateProxiedClient();
        var body = new string('x', 100_000);

        using var response = await http.PostAsync($"http://web.default.svc.cluster.local:{ServicePort}/upload", new StringContent(body));

        var seen = HttpUpstream.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("POST", seen["method"]);
        Assert.Equal(body, seen["body"]);
    }

    [Fact]
    public async Task AbsoluteFormRequest_WithDifferentHostHeader_UsesTheRequestTarget()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(_client.OutboundEndpoint);
        await using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync("GET http://web:8000/raw HTTP/1.1\r\nHost: elsewhere:1\r\nConnection: close\r\n\r\n"u8.ToArray());

        var response = await new StreamReader(stream).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 200", response);
        Assert.Contains("host=web:8000\n", response);
    }

    [Fact]
    public async Task ChunkedUpload_ThroughPeerSidecar_ArrivesWhole()
    {
        using var http = _client.CreateProxiedClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://web:{ServicePort}/chunked")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(new string('y', 70_000)))),
        };
        request.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(70_000, HttpUpstream.Parse(await response.Content.ReadAsStringAsync())["body"].Length);
    }

    [Fact]
    public async Task ManyConcurrentRequests_ShareMultiplexedSidecarConnection()
    {
        using var http = _client.CreateProxiedClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => http.GetStringAsync($"http://web:{ServicePort}/r{i}")));

        Assert.All(responses, body => Assert.Equal("web-v1", HttpUpstream.Parse(body)["server"]));
        Assert.Equal(50, _app.Requests);
    }

    [Fact]
    public async Task InboundRequest_ForUndeclaredPort_Returns404NoRoute()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{_server.InboundSidecar}/x");
        request.Headers.Add(Heddle.Discovery.MeshHeaders.InboundPort, "9999");

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        var line = await _server.AccessLog.WaitForLineAsync(l => l.Contains("\"GET /x "), "the inbound access log line");
        Assert.Contains(" 404 NR ", line);
        Assert.Equal(0, _app.Requests);
    }
}
