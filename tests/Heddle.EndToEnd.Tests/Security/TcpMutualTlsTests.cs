using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>
/// TCP between sidecars is mutually authenticated: tcp-echo's sidecar sees sleep's SPIFFE identity on every
/// connection and counts them exactly as the destination; under STRICT a plaintext TCP client is refused while a client
/// with a mesh certificate, and sleep, keep being served.
/// </summary>
public sealed class TcpMutualTlsTests : IAsyncLifetime
{
    private const string MeshWideStrict = """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: "default"
          namespace: "istio-system"
        spec:
          mtls:
            mode: STRICT
        """;

    private LocalMesh _mesh = null!;

    public async Task InitializeAsync()
    {
        _mesh = await LocalMesh.StartAsync("tcp");
        await Wait.UntilAsync(async () => await TcpEcho.SucceedsAsync(_mesh, "tcp-echo:9000", "port 9000"), TimeSpan.FromSeconds(15), "sleep to reach tcp-echo");
    }

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task TcpThroughTwoSidecars_IsMutualTls_AndTheDestinationCountsEveryConnection()
    {
        string[] destination =
        [
            "reporter=\"destination\"", "source_workload=\"sleep\"", "source_principal=\"spiffe://cluster.local/ns/foo/sa/sleep\"",
            "destination_workload=\"tcp-echo\"", "destination_principal=\"spiffe://cluster.local/ns/foo/sa/tcp-echo\"",
            "destination_service=\"tcp-echo.foo.svc.cluster.local\"", "response_flags=\"-\"", "connection_security_policy=\"mutual_tls\"",
        ];
        string[] source = ["reporter=\"source\"", "source_workload=\"sleep\"", "destination_workload=\"tcp-echo\"", "destination_service=\"tcp-echo.foo.svc.cluster.local\"", "response_flags=\"-\""];
        string tcpEcho = _mesh.PodIp("tcp-echo");
        string sleep = _mesh.PodIp("sleep");
        // Connections of the tests before this one may still be closing: start counting once none is open.
        var before = "";
        await Wait.UntilAsync(async () =>
        {
            before = await ScrapeAsync(tcpEcho);
            return Value(before, "istio_tcp_connections_opened_total", destination) == Value(before, "istio_tcp_connections_closed_total", destination);
        }, TimeSpan.FromSeconds(10), "earlier connections to tcp-echo to close");
        var sourceBefore = "";
        await Wait.UntilAsync(async () =>
        {
            sourceBefore = await ScrapeAsync(sleep);
            return Value(sourceBefore, "istio_tcp_connections_opened_total", source) == Value(sourceBefore, "istio_tcp_connections_closed_total", source);
        }, TimeSpan.FromSeconds(10), "earlier connections from sleep to close");

        const int Connections = 20;
        for (int i = 0; i < Connections; i++)
        {
            Assert.Equal("hello port 9000", await TcpEcho.SendAsync(_mesh, "tcp-echo:9000", "port 9000"));
        }

        // "port 9000\n" is 10 bytes, "hello port 9000\n" 16; a connection is counted closed once both ends closed.
        string after = "";
        await Wait.UntilAsync(async () =>
        {
            after = await ScrapeAsync(tcpEcho);
            return Value(after, "istio_tcp_connections_closed_total", destination) - Value(before, "istio_tcp_connections_closed_total", destination) >= Connections;
        }, TimeSpan.FromSeconds(10), "the destination to count the closed connections");
        Assert.Equal(Connections, Value(after, "istio_tcp_connections_closed_total", destination) - Value(before, "istio_tcp_connections_closed_total", destination));
        Assert.Equal(Connections, Value(after, "istio_tcp_connections_opened_total", destination) - Value(before, "istio_tcp_connections_opened_total", destination));
        Assert.Equal(Connections * 10, Value(after, "istio_tcp_received_bytes_total", destination) - Value(before, "istio_tcp_received_bytes_total", destination));
        Assert.Equal(Connections * 16, Value(after, "istio_tcp_sent_bytes_total", destination) - Value(before, "istio_tcp_sent_bytes_total", destination));

        string sourceAfter = "";
        await Wait.UntilAsync(async () =>
        {
            sourceAfter = await ScrapeAsync(sleep);
            return Value(sourceAfter, "istio_tcp_connections_closed_total", source) - Value(sourceBefore, "istio_tcp_connections_closed_total", source) >= Connections;
        }, TimeSpan.FromSeconds(10), "the source to count the closed connections");
        Assert.Equal(Connections, Value(sourceAfter, "istio_tcp_connections_opened_total", source) - Value(sourceBefore, "istio_tcp_connections_opened_total", source));
    }

    [Fact]
    public async Task ServerSpeaksFirst_GreetingCrossesBothSidecars_ThenTheClientIsEchoed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using (var tunnel = await ConnectTunnel.OpenAsync(_mesh.PodIp("sleep"), "tcp-echo:9003", timeout.Token))
        using (var reader = new StreamReader(tunnel, Encoding.ASCII))
        {
            // sleep says nothing: its sidecar's sniff times out, opens the mutual-TLS hop, and the greeting comes back.
            Assert.Equal("welcome to tcp-echo", await reader.ReadLineAsync(timeout.Token));
            await tunnel.WriteAsync("port 9003\n"u8.ToArray(), timeout.Token);
            Assert.Equal("hello port 9003", await reader.ReadLineAsync(timeout.Token));
        }

        // 10 bytes from sleep, 20 + 16 back, on the destination's line.
        await _mesh.Output.WaitForLineAsync(
            l => l.Contains("\"CONNECT tcp-echo.foo.svc.cluster.local:9003 TCP\" 200 - 10 36 ", StringComparison.Ordinal) && l.Contains("inbound|9003|tcp-greeter|", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15),
            "tcp-echo's sidecar to log the relayed connection");
    }

    [Fact]
    public async Task HalfClose_ClientStopsSending_AnswerStillArrivesThroughMutualTls()
    {
        // `echo "port 9000" | nc -N tcp-echo 9000`: the client shuts its sending side after the line.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var tunnel = (NetworkStream)await ConnectTunnel.OpenAsync(_mesh.PodIp("sleep"), "tcp-echo:9000", timeout.Token);
        await tunnel.WriteAsync("port 9000\n"u8.ToArray(), timeout.Token);
        tunnel.Socket.Shutdown(SocketShutdown.Send);

        using var reader = new StreamReader(tunnel, Encoding.ASCII);
        Assert.Equal("hello port 9000", await reader.ReadLineAsync(timeout.Token));
        // tcp-echo saw the end of input and closed: the close travels back through both sidecars.
        Assert.Null(await reader.ReadLineAsync(timeout.Token));
    }

    [Fact]
    public async Task Strict_PlaintextTcpClientIsRefused_MeshCertificateAndSleepAreServed()
    {
        string tcpEcho = _mesh.PodIp("tcp-echo");

        // PERMISSIVE: a plaintext client that speaks the tunnel preface itself is served.
        Assert.Equal("hello port 9000", await PlaintextTunnelAsync(tcpEcho));

        await File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "strict.yaml"), MeshWideStrict);
        await Wait.UntilAsync(async () => await PlaintextTunnelAsync(tcpEcho) is null, TimeSpan.FromSeconds(15), "plaintext TCP to be refused under STRICT");
        await _mesh.Output.WaitForLineAsync(l => l.Contains("plaintext connection, but peer authentication is STRICT", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the refusal in tcp-echo's sidecar log");

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("hello port 9000", await TcpEcho.SendAsync(_mesh, "tcp-echo:9000", "port 9000"));
        }

        // Mutual TLS with a certificate from the mesh's CA: the server presents tcp-echo's SPIFFE identity and relays.
        string directory = Directory.CreateTempSubdirectory("heddle-tcp-cert-").FullName;
        var (certificateFile, keyFile) = SecurityTools.IssueFromMeshCa(_mesh.RunDirectory, "spiffe://cluster.local/ns/legacy/sa/tester", directory);
        using var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Parse(tcpEcho), 15006);
        X509Certificate2? server = null;
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, presented, _, _) =>
        {
            server = presented is null ? null : new X509Certificate2(presented);
            return true;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "tcp-echo.foo.svc.cluster.local",
            ClientCertificates = [X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null)],
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        Assert.Contains("spiffe://cluster.local/ns/foo/sa/tcp-echo", SecurityTools.UriNames(server!), StringComparison.Ordinal);
        Assert.Equal("hello port 9000", await TunnelAsync(tls));
    }

    [Fact]
    public async Task SecureNaming_ServerIdentityNotExpected_TunnelFailsWithUF()
    {
        // The DestinationRule expects another identity than tcp-echo's: sleep's sidecar refuses the server.
        await File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "secure-naming.yaml"), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: tcp-echo
              namespace: foo
            spec:
              host: tcp-echo.foo.svc.cluster.local
              trafficPolicy:
                tls:
                  mode: ISTIO_MUTUAL
                  subjectAltNames: ["spiffe://cluster.local/ns/foo/sa/not-tcp-echo"]
            """);

        await Wait.UntilAsync(async () => !await TcpEcho.SucceedsAsync(_mesh, "tcp-echo:9000", "port 9000"), TimeSpan.FromSeconds(15), "the tunnel to fail secure naming");
        await _mesh.Output.WaitForLineAsync(l => l.Contains("(secure naming)", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "sleep's sidecar to say why");
        await _mesh.Output.WaitForLineAsync(l => l.Contains("\"CONNECT tcp-echo:9000 TCP\" 0 UF", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "sleep's access log line with UF");
    }

    [Fact]
    public async Task PortLevelMtls_StrictWorkloadWithADisabledPort_EachTunnelGetsItsPortsMode()
    {
        string tcpEcho = _mesh.PodIp("tcp-echo");
        await File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "port-level.yaml"), """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: tcp-echo
              namespace: foo
            spec:
              selector:
                matchLabels:
                  app: tcp-echo
              mtls:
                mode: STRICT
              portLevelMtls:
                9001:
                  mode: DISABLE
            """);

        // Outside the mesh, in plaintext: refused on the STRICT port, served on the DISABLE one (same listener).
        await Wait.UntilAsync(async () => await PlaintextTunnelAsync(tcpEcho) is null, TimeSpan.FromSeconds(15), "plaintext to 9000 to be refused");
        Assert.Equal("hello port 9001", await PlaintextTunnelAsync(tcpEcho, 9001));

        // sleep: mutual TLS to 9000; plaintext to 9001, as automatic mutual TLS learns the port's mode.
        string[] plaintext9001 = ["reporter=\"destination\"", "source_workload=\"sleep\"", "connection_security_policy=\"none\""];
        await Wait.UntilAsync(async () => await TcpEcho.SucceedsAsync(_mesh, "tcp-echo:9001", "port 9001"), TimeSpan.FromSeconds(15), "sleep to reach 9001");
        Assert.Equal("hello port 9000", await TcpEcho.SendAsync(_mesh, "tcp-echo:9000", "port 9000"));
        string metrics = await ScrapeAsync(tcpEcho);
        Assert.True(Value(metrics, "istio_tcp_connections_opened_total", plaintext9001) >= 1, metrics);

        // A mesh certificate on the DISABLE port is refused: a tunnel holds the mode of the one port it serves.
        string directory = Directory.CreateTempSubdirectory("heddle-tcp-cert-").FullName;
        var (certificateFile, keyFile) = SecurityTools.IssueFromMeshCa(_mesh.RunDirectory, "spiffe://cluster.local/ns/legacy/sa/tester", directory);
        Assert.Null(await MutualTlsTunnelAsync(tcpEcho, certificateFile, keyFile, 9001));
        Assert.Equal("hello port 9000", await MutualTlsTunnelAsync(tcpEcho, certificateFile, keyFile, 9000));
        await _mesh.Output.WaitForLineAsync(l => l.Contains("mutual TLS connection to port 9001, but its peer authentication is DISABLE", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the DISABLE refusal");
    }

    /// <summary>A client with a certificate of the mesh's CA that opens the tunnel itself; null when refused.</summary>
    private static async Task<string?> MutualTlsTunnelAsync(string podIp, string certificateFile, string keyFile, int port)
    {
        using var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Parse(podIp), 15006);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "tcp-echo.foo.svc.cluster.local",
            ClientCertificates = [X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null)],
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        try
        {
            return await TunnelAsync(tls, port);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A client outside the mesh that opens the tunnel itself, in plaintext; null when refused.</summary>
    private static async Task<string?> PlaintextTunnelAsync(string podIp, int port = 9000)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(podIp), 15006);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            return await TunnelAsync(stream, port);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return null;
        }
    }

    /// <summary>Sends the sidecars' tunnel preface for <paramref name="port"/> and one line; the echoed line, or null without an answer.</summary>
    private static async Task<string?> TunnelAsync(Stream stream, int port = 9000)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT tcp-echo.foo.svc.cluster.local:{port} HTTP/1.1\r\nx-heddle-inbound-port: {port}\r\n\r\nport {port}\n"), timeout.Token);
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (true)
        {
            int read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return null;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            string text = received.ToString();
            int head = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (head >= 0 && !text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            {
                return null;
            }

            int line = head < 0 ? -1 : text.IndexOf('\n', head + 4);
            if (line >= 0)
            {
                return text[(head + 4)..line];
            }
        }
    }

    private static async Task<string> ScrapeAsync(string podIp)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync($"http://{podIp}:15090/stats/prometheus");
    }

    /// <summary>The value of the series of <paramref name="name"/> with all of <paramref name="labels"/>; 0 when absent.</summary>
    private static long Value(string exposition, string name, params string[] labels)
    {
        var matching = exposition.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .ToList();
        Assert.True(matching.Count <= 1, $"several {name} series match: {string.Join('\n', matching)}");
        return matching.Count == 0 ? 0 : long.Parse(matching[0][(matching[0].LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
