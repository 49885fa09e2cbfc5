using System.Net;
using System.Net.Sockets;
using System.Text;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Http1;

/// <summary>
/// The lean HTTP/1.1 path through a real proxy and real sockets: upstream connection reuse and staleness, the
/// upstream's Connection: close, pipelining, malformed requests, and handing a connection to the general path in the
/// middle (Expect: 100-continue, Upgrade) with both requests answered.
/// </summary>
public sealed class LeanPathTests : IAsyncLifetime
{
    private const int Port = 8000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private RawHttp.Upstream _raw = null!;
    private HttpUpstream _kestrel = null!;

    public async Task InitializeAsync()
    {
        _raw = new RawHttp.Upstream(_net.Address(10), 8080);
        _kestrel = await HttpUpstream.StartAsync(_net.Address(11), 8080, "web");
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            Cluster(ClusterName("raw", Port), Endpoint(_net.Address(10).ToString(), 8080)),
            Cluster(ClusterName("web", Port), Endpoint(_net.Address(11).ToString(), 8080)),
            VirtualHost("raw", Port, Route(ClusterName("raw", Port))),
            VirtualHost("web", Port, Timed(Route(ClusterName("web", Port), UriPrefix("/slow"))), Route(ClusterName("web", Port)))));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
    }

    private static Heddle.Discovery.V1.Route Timed(Heddle.Discovery.V1.Route route)
    {
        route.TimeoutMs = 300;
        return route;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _controlPlane.DisposeAsync();
        await _raw.DisposeAsync();
        await _kestrel.DisposeAsync();
    }

    private async Task<(TcpClient Client, NetworkStream Stream)> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_proxy.OutboundEndpoint);
        return (client, client.GetStream());
    }

    private static Task SendAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    [Fact]
    public async Task SequentialRequests_ReuseOnePooledUpstreamConnection()
    {
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        for (var i = 0; i < 3; i++)
        {
            await SendAsync(stream, $"GET http://raw:{Port}/r{i} HTTP/1.1\r\nHost: raw:{Port}\r\n\r\n");
            var response = await RawHttp.ReadResponseAsync(stream, pending);
            Assert.Equal(200, response!.Status);
            Assert.Equal($"path=/r{i}", response.Body);
        }

        Assert.Equal(1, _raw.Connections);
        Assert.Equal(1, _proxy.Host.LeanConnections.For($"{_net.Address(10)}:8080").IdleCount);
    }

    [Fact]
    public async Task UpstreamClosedThePooledConnection_RequestSentAgainOnANewOne()
    {
        _raw.CloseAfter = 1;
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        await SendAsync(stream, $"GET http://raw:{Port}/first HTTP/1.1\r\nHost: raw:{Port}\r\n\r\n");
        Assert.Equal(200, (await RawHttp.ReadResponseAsync(stream, pending))!.Status);
        // The upstream closed without saying so; the pooled connection is stale by the time it is used again.
        await Eventually.WaitAsync(() => Task.FromResult(_raw.Connections == 1 ? "1" : null), "the first upstream connection");
        await Task.Yield();
        await SendAsync(stream, $"GET http://raw:{Port}/second HTTP/1.1\r\nHost: raw:{Port}\r\n\r\n");
        var second = await RawHttp.ReadResponseAsync(stream, pending);

        Assert.Equal(200, second!.Status);
        Assert.Equal("path=/second", second.Body);
        Assert.Equal(2, _raw.Connections);
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/second"), "the second request's line");
        Assert.Contains(" 200 - ", line);
    }

    [Fact]
    public async Task UpstreamSaysConnectionClose_ConnectionNotReused_ClientKeepsItsConnection()
    {
        _raw.CloseAfter = 1;
        _raw.SayClose = true;
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        await SendAsync(stream, $"GET http://raw:{Port}/a HTTP/1.1\r\nHost: raw:{Port}\r\n\r\n");
        var first = await RawHttp.ReadResponseAsync(stream, pending);
        await SendAsync(stream, $"GET http://raw:{Port}/b HTTP/1.1\r\nHost: raw:{Port}\r\n\r\n");
        var second = await RawHttp.ReadResponseAsync(stream, pending);

        Assert.Equal(200, first!.Status);
        Assert.False(first.Headers.ContainsKey("Connection"));
        Assert.Equal("path=/b", second!.Body);
        Assert.Equal(2, _raw.Connections);
    }

    [Fact]
    public async Task RouteTimeout_SilentUpstream_504UpstreamTimeoutOnTheLeanPath()
    {
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        await SendAsync(stream, $"GET http://web:{Port}/slow HTTP/1.1\r\nHost: web:{Port}\r\n\r\n");
        var response = await RawHttp.ReadResponseAsync(stream, pending);

        Assert.Equal(504, response!.Status);
        Assert.Equal("upstream request timeout\n", response.Body);
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/slow"), "the access log line");
        Assert.Contains(" 504 UT ", line);
        // The client's connection stays usable.
        await SendAsync(stream, $"GET http://web:{Port}/after HTTP/1.1\r\nHost: web:{Port}\r\n\r\n");
        Assert.Equal(200, (await RawHttp.ReadResponseAsync(stream, pending))!.Status);
    }

    [Fact]
    public async Task PipelinedRequests_AnsweredInOrder()
    {
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        await SendAsync(stream, $"GET http://raw:{Port}/one HTTP/1.1\r\nHost: raw:{Port}\r\n\r\nGET http://raw:{Port}/two HTTP/1.1\r\nHost: raw:{Port}\r\n\r\n");

        Assert.Equal("path=/one", (await RawHttp.ReadResponseAsync(stream, pending))!.Body);
        Assert.Equal("path=/two", (await RawHttp.ReadResponseAsync(stream, pending))!.Body);
    }

    [Fact]
    public async Task ClientConnectionClose_AnsweredThenClosed()
    {
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        await SendAsync(stream, $"GET http://raw:{Port}/bye HTTP/1.1\r\nHost: raw:{Port}\r\nConnection: close\r\n\r\n");
        var response = await RawHttp.ReadResponseAsync(stream, pending);

        Assert.Equal("close", response!.Headers["Connection"]);
        Assert.Null(await RawHttp.ReadResponseAsync(stream, pending));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: raw:8000\r\nX-Folded: a\r\n b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: raw:8000\r\nBad Name: a\r\n\r\n", 400)]
    public async Task MalformedRequest_400AndClosed(string request, int status)
    {
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        await SendAsync(stream, request);
        var response = await RawHttp.ReadResponseAsync(stream, pending);

        Assert.Equal(status, response!.Status);
        Assert.Null(await RawHttp.ReadResponseAsync(stream, pending));
    }

    [Fact]
    public async Task OversizeHead_431AndClosed()
    {
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        await SendAsync(stream, $"GET http://raw:{Port}/ HTTP/1.1\r\nHost: raw:{Port}\r\nX-Big: {new string('a', 40_000)}\r\n\r\n");
        var response = await RawHttp.ReadResponseAsync(stream, pending);

        Assert.Equal(431, response!.Status);
        Assert.Null(await RawHttp.ReadResponseAsync(stream, pending));
    }

    [Fact]
    public async Task LeanRequestThenExpectContinue_SecondGoesToTheGeneralPath_BothAnswered()
    {
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        await SendAsync(stream, $"GET http://web:{Port}/lean HTTP/1.1\r\nHost: web:{Port}\r\n\r\n");
        var first = await RawHttp.ReadResponseAsync(stream, pending);
        Assert.Equal(200, first!.Status);
        Assert.Contains("path=/lean", first.Body);
        // The lean path pooled its upstream connection.
        Assert.Equal(1, _proxy.Host.LeanConnections.For($"{_net.Address(11)}:8080").IdleCount);

        await SendAsync(stream, $"POST http://web:{Port}/expect HTTP/1.1\r\nHost: web:{Port}\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        var interim = await RawHttp.ReadResponseAsync(stream, pending);
        Assert.Equal(100, interim!.Status);
        await SendAsync(stream, "hi");
        var second = await RawHttp.ReadResponseAsync(stream, pending);

        Assert.Equal(200, second!.Status);
        Assert.Contains("path=/expect", second.Body);
        Assert.Contains("body=hi", second.Body);
        await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/lean"), "the lean request's line");
        await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/expect"), "the general path's line");
    }

    [Fact]
    public async Task LeanRequestThenUpgrade_GeneralPathAnswersTheUpgradeRequest()
    {
        var (client, stream) = await ConnectAsync();
        using var _ = client;
        var pending = new List<byte>();

        await SendAsync(stream, $"GET http://web:{Port}/lean HTTP/1.1\r\nHost: web:{Port}\r\n\r\n");
        Assert.Equal(200, (await RawHttp.ReadResponseAsync(stream, pending))!.Status);
        await SendAsync(stream, $"GET http://web:{Port}/ws HTTP/1.1\r\nHost: web:{Port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        var second = await RawHttp.ReadResponseAsync(stream, pending);

        // The application does not speak WebSocket: it answers the request as a plain GET, through the general path.
        Assert.Equal(200, second!.Status);
        Assert.Contains("path=/ws", second.Body);
    }
}
