using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Grpc;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Listeners;

/// <summary>
/// CONNECT tunnels through the outbound listener, as gRPC clients and <c>curl -p</c> use an HTTP proxy: HTTP/1.1 and
/// h2c inside a tunnel are still routed request by request; anything else is relayed as bytes.
/// </summary>
public sealed class ConnectTunnelTests : IAsyncLifetime
{
    private const int WebPort = 8000;
    private const int EchoPort = 9000;
    private const int GrpcAppPort = 9090;
    private const int TcpPort = 7000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _client = null!;
    private TestProxy _server = null!;
    private HttpUpstream _v1 = null!;
    private HttpUpstream _v2 = null!;
    private GrpcUpstream _grpc = null!;
    private TcpListener _greeter = null!;

    public async Task InitializeAsync()
    {
        var serverIp = _net.Address(3);
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        _v1 = await HttpUpstream.StartAsync(_net.Address(10), 8080, "web-v1");
        _v2 = await HttpUpstream.StartAsync(_net.Address(11), 8080, "web-v2");
        _grpc = await GrpcUpstream.StartAsync(serverIp, GrpcAppPort, "echo-v1");
        _greeter = new TcpListener(_net.Address(12), TcpPort);
        _greeter.Start();
        _ = ServeGreetingsAsync(_greeter);

        var v1 = ClusterName("web", WebPort, "v1");
        var v2 = ClusterName("web", WebPort, "v2");
        var echo = ClusterName("echo", EchoPort);
        var echoDirect = ClusterName("echo-direct", EchoPort);
        var tcp = ClusterName("greeter", TcpPort);
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            Cluster(v1, Endpoint(_v1.Endpoint.Address.ToString(), 8080)),
            Cluster(v2, Endpoint(_v2.Endpoint.Address.ToString(), 8080)),
            Cluster(echo, Protocol.Grpc, Endpoint(serverIp.ToString(), GrpcAppPort, $"{serverIp}:15006")),
            Cluster(echoDirect, Protocol.Grpc, Endpoint(serverIp.ToString(), GrpcAppPort)),
            Cluster(tcp, Protocol.Tcp, Endpoint(_net.Address(12).ToString(), TcpPort)),
            VirtualHost("web", WebPort, Route(v2, HeaderExact("x-version", "v2")), Route(v1)),
            VirtualHost("echo", EchoPort, Route(echo)),
            VirtualHost("echo-direct", EchoPort, Route(echoDirect)),
            VirtualHost("greeter", TcpPort, Route(tcp))));
        _controlPlane.SetSnapshot("echo-0.default", Full("1", Inbound(serverIp.ToString(), (GrpcAppPort, Protocol.Grpc))));

        _client = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        _server = await TestProxy.StartAsync(serverIp, _controlPlane.Address, "echo-0");
        await _client.WaitForVersionAsync("1");
        await _server.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        _greeter.Stop();
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _v1.DisposeAsync();
        await _v2.DisposeAsync();
        await _grpc.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }

    [Fact]
    public async Task Http1InsideTunnel_IsRoutedPerRequest()
    {
        var handler = _client.CreateTunnelHandler();
        handler.MaxConnectionsPerServer = 1;
        using var http = new HttpClient(handler);

        var first = await http.GetStringAsync($"http://web:{WebPort}/a");
        using var second = new HttpRequestMessage(HttpMethod.Get, $"http://web:{WebPort}/b");
        second.Headers.Add("x-version", "v2");
        using var secondResponse = await http.SendAsync(second);
        var third = await http.GetStringAsync($"http://web:{WebPort}/c");

        Assert.Equal("web-v1", HttpUpstream.Parse(first)["server"]);
        Assert.Equal("web-v2", secondResponse.Headers.GetValues("x-upstream").Single());
        Assert.Equal("web-v1", HttpUpstream.Parse(third)["server"]);
        Assert.Equal($"web:{WebPort}", HttpUpstream.Parse(third)["host"]);
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("echo-direct")]
    public async Task GrpcInsideTunnel_UnaryCallWithTrailers(string service)
    {
        using var channel = GrpcChannel.ForAddress($"http://{service}:{EchoPort}", new GrpcChannelOptions { HttpHandler = _client.CreateTunnelHandler() });
        var echo = new Echo.EchoClient(channel);

        using var call = echo.SayAsync(new EchoRequest { Text = "hi" });
        var reply = await call.ResponseAsync;

        Assert.Equal("hi", reply.Text);
        Assert.Equal("echo-v1", reply.Server);
        Assert.Equal($"{service}:{EchoPort}", reply.Authority);
        Assert.Equal("echo-v1", call.GetTrailers().GetValue(GrpcUpstream.TrailerName));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task GrpcInsideTunnel_ServerStreamingThroughPeerSidecar()
    {
        using var channel = GrpcChannel.ForAddress($"http://echo:{EchoPort}", new GrpcChannelOptions { HttpHandler = _client.CreateTunnelHandler() });
        var echo = new Echo.EchoClient(channel);

        using var call = echo.Count(new CountRequest { To = 100 });
        var received = new List<string>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            received.Add(reply.Text);
        }

        Assert.Equal(Enumerable.Range(1, 100).Select(i => i.ToString()), received);
        Assert.Equal("echo-v1", call.GetTrailers().GetValue(GrpcUpstream.TrailerName));
        var inbound = await _server.AccessLog.WaitForLineAsync(l => l.Contains("/heddle.test.Echo/Count"), "the inbound access log line");
        Assert.Contains("\"POST /heddle.test.Echo/Count HTTP/2\" 200 -", inbound);
    }

    [Fact]
    public async Task GrpcInsideTunnel_ErrorStatusReachesClient()
    {
        using var channel = GrpcChannel.ForAddress($"http://echo:{EchoPort}", new GrpcChannelOptions { HttpHandler = _client.CreateTunnelHandler() });
        var echo = new Echo.EchoClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await echo.SayAsync(new EchoRequest { Text = "not here", FailWith = (int)StatusCode.NotFound }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("not here", error.Status.Detail);
    }

    [Fact]
    public async Task NonHttpTunnel_IsRelayedAsBytes()
    {
        using var tunnel = await ConnectTunnel.OpenAsync(_client.OutboundEndpoint, new DnsEndPoint("greeter", TcpPort), CancellationToken.None);
        using var reader = new StreamReader(tunnel, Encoding.ASCII);

        // The greeter speaks first: the tunnel must carry bytes before the client sends any.
        Assert.Equal("hello", await reader.ReadLineAsync());
        await tunnel.WriteAsync("\u0001ping\n"u8.ToArray());
        Assert.Equal("echo \u0001ping", await reader.ReadLineAsync());
    }

    [Fact]
    public async Task NonHttpTunnel_UpstreamCloses_TunnelCloses()
    {
        using var tunnel = await ConnectTunnel.OpenAsync(_client.OutboundEndpoint, new DnsEndPoint("greeter", TcpPort), CancellationToken.None);
        using var reader = new StreamReader(tunnel, Encoding.ASCII);
        Assert.Equal("hello", await reader.ReadLineAsync());

        await tunnel.WriteAsync("bye\n"u8.ToArray());

        Assert.Null(await reader.ReadLineAsync());
        var line = await _client.AccessLog.WaitForLineAsync(l => l.Contains("\"CONNECT greeter:7000 TCP\""), "the tunnel's access log line");
        Assert.Contains(" 200 - 4 6 ", line);
    }

    [Fact]
    public async Task ConnectToUnknownHost_WithoutPort_IsRefused()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_client.OutboundEndpoint);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync("CONNECT web HTTP/1.1\r\nHost: web\r\n\r\n"u8.ToArray());

        var head = await ConnectTunnel.ReadHeadAsync(stream, CancellationToken.None);

        Assert.StartsWith("HTTP/1.1 400", head);
    }

    private static async Task ServeGreetingsAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    await stream.WriteAsync("hello\n"u8.ToArray());
                    using var reader = new StreamReader(stream, Encoding.ASCII);
                    while (await reader.ReadLineAsync() is { } line && line != "bye")
                    {
                        await stream.WriteAsync(Encoding.ASCII.GetBytes("echo " + line + "\n"));
                    }
                }
            });
        }
    }
}
