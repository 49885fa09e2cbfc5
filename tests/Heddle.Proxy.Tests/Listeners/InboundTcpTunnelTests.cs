using System.Net;
using System.Net.Sockets;
using System.Text;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Listeners;

/// <summary>
/// A TCP tunnel to an endpoint fronted by a sidecar ends in that sidecar's inbound listener, which checks the port's
/// peer authentication and the workload's AuthorizationPolicies, relays to the application and reports the connection
/// as the destination. (Plaintext here: the fake control plane issues no certificates; mutual TLS is proven end to end.)
/// </summary>
public sealed class InboundTcpTunnelTests : IAsyncLifetime
{
    private const int GreeterPort = 7000;
    private const int StrictPort = 7001;

    private readonly TestSubnet _net = TestSubnet.Next();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _client = null!;
    private TestProxy _server = null!;
    private TcpListener _greeter = null!;
    private TcpListener _strict = null!;
    private IPAddress _serverIp = null!;

    public async Task InitializeAsync()
    {
        _serverIp = _net.Address(3);
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        _greeter = new TcpListener(_serverIp, GreeterPort);
        _greeter.Start();
        _ = ServeGreetingsAsync(_greeter);
        _strict = new TcpListener(_serverIp, StrictPort);
        _strict.Start();
        _ = ServeGreetingsAsync(_strict);

        var sidecar = $"{_serverIp}:15006";
        var greeter = ClusterName("greeter", GreeterPort);
        var strict = ClusterName("strict", StrictPort);
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            Cluster(greeter, Protocol.Tcp, Endpoint(_serverIp.ToString(), GreeterPort, sidecar)),
            Cluster(strict, Protocol.Tcp, Endpoint(_serverIp.ToString(), StrictPort, sidecar)),
            VirtualHost("greeter", GreeterPort, Route(greeter)),
            VirtualHost("strict", StrictPort, Route(strict))));
        _controlPlane.SetSnapshot("greeter-0.default", Full("1", ServerInbound()));

        _client = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        _server = await TestProxy.StartAsync(_serverIp, _controlPlane.Address, "greeter-0");
        await _client.WaitForVersionAsync("1");
        await _server.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        _greeter.Stop();
        _strict.Stop();
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }

    [Fact]
    public async Task Tunnel_ToSidecarEndpoint_EndsInThePeerSidecar_ServerSpeaksFirst()
    {
        using var tunnel = await ConnectTunnel.OpenAsync(_client.OutboundEndpoint, new DnsEndPoint("greeter", GreeterPort), CancellationToken.None);
        using var reader = new StreamReader(tunnel, Encoding.ASCII);

        // The greeter speaks first: the client's sniff times out, then the relay opens the hop to the peer sidecar.
        Assert.Equal("hello", await reader.ReadLineAsync());
        await tunnel.WriteAsync("ping\n"u8.ToArray());
        Assert.Equal("echo ping", await reader.ReadLineAsync());
        await tunnel.WriteAsync("bye\n"u8.ToArray());
        Assert.Null(await reader.ReadLineAsync());

        var inbound = await _server.AccessLog.WaitForLineAsync(l => l.Contains("\"CONNECT greeter:7000 TCP\""), "the destination's tunnel line");
        Assert.Contains(" 200 - 9 16 ", inbound);
        Assert.Contains($"\"{_serverIp}:{GreeterPort}\" inbound|{GreeterPort}|tcp|", inbound);
        var outbound = await _client.AccessLog.WaitForLineAsync(l => l.Contains("\"CONNECT greeter:7000 TCP\""), "the source's tunnel line");
        Assert.Contains($" 200 - 9 16 ", outbound);
        Assert.Contains($"\"{_serverIp}:15006\"", outbound);
    }

    [Fact]
    public async Task Tunnel_ClientHalfCloses_AnswerStillArrives()
    {
        var tunnel = (NetworkStream)await ConnectTunnel.OpenAsync(_client.OutboundEndpoint, new DnsEndPoint("greeter", GreeterPort), CancellationToken.None);
        await using (tunnel)
        {
            // Everything sent and the sending side shut before the client sidecar even opened the hop to its peer.
            await tunnel.WriteAsync("ping\n"u8.ToArray());
            tunnel.Socket.Shutdown(SocketShutdown.Send);

            using var reader = new StreamReader(tunnel, Encoding.ASCII);
            Assert.Equal("hello", await reader.ReadLineAsync());
            Assert.Equal("echo ping", await reader.ReadLineAsync());
            Assert.Null(await reader.ReadLineAsync());
        }
    }

    [Fact]
    public async Task Tunnel_DestinationMetrics_CountConnectionsAndBytesWithTheSourceWorkload()
    {
        for (var i = 0; i < 3; i++)
        {
            using var tunnel = await ConnectTunnel.OpenAsync(_client.OutboundEndpoint, new DnsEndPoint("greeter", GreeterPort), CancellationToken.None);
            using var reader = new StreamReader(tunnel, Encoding.ASCII);
            Assert.Equal("hello", await reader.ReadLineAsync());
            await tunnel.WriteAsync("bye\n"u8.ToArray());
            Assert.Null(await reader.ReadLineAsync());
        }

        string[] labels = ["reporter=\"destination\"", "source_workload=\"client\"", "destination_workload=\"greeter\"", "destination_service=\"greeter.default.svc.cluster.local\"", "connection_security_policy=\"none\""];
        var metrics = await Eventually.WaitAsync<string>(async () =>
        {
            var text = await ScrapeAsync(_serverIp);
            return Value(text, "istio_tcp_connections_closed_total", labels) == 3 ? text : null;
        }, "three closed connections on the destination");
        Assert.Equal(3, Value(metrics, "istio_tcp_connections_opened_total", labels));
        Assert.Equal(12, Value(metrics, "istio_tcp_received_bytes_total", labels));
        Assert.Equal(18, Value(metrics, "istio_tcp_sent_bytes_total", labels));

        // The source side learns the destination workload from the peer's answer (discovery did not name it here).
        var source = await ScrapeAsync(_net.Address(2));
        Assert.Equal(3, Value(source, "istio_tcp_connections_closed_total", "reporter=\"source\"", "source_workload=\"client\"", "destination_workload=\"greeter\""));
    }

    [Fact]
    public async Task Tunnel_DenyPolicyOnThePort_ConnectionClosedAndLoggedWithThePolicy()
    {
        var deny = new AuthorizationPolicy { Name = "default.deny-greeter", Action = AuthorizationPolicy.Types.Action.Deny };
        var rule = new AuthorizationRule();
        var to = new AuthorizationOperation();
        to.Ports.Add(GreeterPort.ToString());
        rule.To.Add(to);
        deny.Rules.Add(rule);
        var policies = new AuthorizationPolicies();
        policies.Policies.Add(deny);
        await _controlPlane.PushAsync("greeter-0.default", Delta("2", "1", [new Resource { Name = "authorization", Authorization = policies }]));
        await _server.WaitForVersionAsync("2");

        using var tunnel = await ConnectTunnel.OpenAsync(_client.OutboundEndpoint, new DnsEndPoint("greeter", GreeterPort), CancellationToken.None);
        using var reader = new StreamReader(tunnel, Encoding.ASCII);

        // The client sidecar answered 200 before it knew; the denied connection is then closed without a byte.
        Assert.Null(await reader.ReadLineAsync());
        var inbound = await _server.AccessLog.WaitForLineAsync(l => l.Contains("\"CONNECT greeter:7000 TCP\""), "the denial's line");
        Assert.Contains(" 0 - 0 0 ", inbound);
        Assert.EndsWith(" rbac_access_denied_matched_policy[ns[default]-policy[deny-greeter]-rule[0]]", inbound.TrimEnd());
        var outbound = await _client.AccessLog.WaitForLineAsync(l => l.Contains("\"CONNECT greeter:7000 TCP\""), "the source's line");
        Assert.Contains(" 403 - ", outbound);
    }

    [Fact]
    public async Task Tunnel_PlaintextToStrictPort_IsRefused_OtherPortServed()
    {
        using (var tunnel = await ConnectTunnel.OpenAsync(_client.OutboundEndpoint, new DnsEndPoint("strict", StrictPort), CancellationToken.None))
        using (var reader = new StreamReader(tunnel, Encoding.ASCII))
        {
            Assert.Null(await reader.ReadLineAsync());
        }

        using (var tunnel = await ConnectTunnel.OpenAsync(_client.OutboundEndpoint, new DnsEndPoint("greeter", GreeterPort), CancellationToken.None))
        using (var reader = new StreamReader(tunnel, Encoding.ASCII))
        {
            Assert.Equal("hello", await reader.ReadLineAsync());
        }

        var outbound = await _client.AccessLog.WaitForLineAsync(l => l.Contains("\"CONNECT strict:7001 TCP\""), "the refused tunnel's line");
        Assert.Contains(" 0 UF ", outbound);
    }

    [Theory]
    [InlineData(15000, "HTTP/1.1 404")]
    [InlineData(15090, "HTTP/1.1 404")]
    [InlineData(7002, "HTTP/1.1 503")]
    public async Task PlainTunnel_UndeclaredPort_RelayedAsPassthroughExceptTheMeshsOwnPorts(int port, string answer)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(_serverIp, 15006));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT greeter:{port} HTTP/1.1\r\nx-heddle-inbound-port: {port}\r\n\r\n"));

        // 7002 is tried (nothing listens: 503); the proxy's admin and metrics ports are never a destination.
        var head = await ConnectTunnel.ReadHeadAsync(stream, CancellationToken.None);

        Assert.StartsWith(answer, head);
    }

    [Fact]
    public async Task PlainConnectWithoutPortHeader_IsAnsweredBadRequest()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(_serverIp, 15006));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync("CONNECT greeter:7000 HTTP/1.1\r\nHost: greeter:7000\r\n\r\n"u8.ToArray());

        var head = await ConnectTunnel.ReadHeadAsync(stream, CancellationToken.None);

        Assert.StartsWith("HTTP/1.1 400", head);
    }

    private Resource ServerInbound()
    {
        var inbound = Inbound(_serverIp.ToString(), (GreeterPort, Protocol.Tcp), (StrictPort, Protocol.Tcp));
        inbound.Inbound.Ports[1].MtlsMode = PeerAuthenticationMode.PeerAuthenticationStrict;
        return inbound;
    }

    private static async Task<string> ScrapeAsync(IPAddress podIp)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        return await http.GetStringAsync($"http://{podIp}:15090/stats/prometheus");
    }

    private static long Value(string exposition, string name, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            {
                return long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return -1;
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
