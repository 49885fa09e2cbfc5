using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Heddle.ControlPlane.Security;
using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heddle.Benchmarks.Micro.Proxy.Security;

/// <summary>
/// Mutual TLS between two sidecars over real loopback sockets, with the proxy's own TLS code on both sides: the
/// client side's <see cref="UpstreamTls"/> (ISTIO_MUTUAL with secure naming against the server's service account)
/// and the server side's <see cref="InboundTls"/> on a Kestrel socket connection. Both hold ECDSA P-256 SPIFFE
/// certificates issued by the control plane's <see cref="WorkloadCertificateIssuer"/> from the proxies' own signing
/// requests. Client and server run in this one process, so each operation's time is the work of both sides.
/// </summary>
[MemoryDiagnoser]
public class MutualTlsBenchmarks
{
    private const int MessageSize = 1024;
    private const string ServerServiceAccount = "upstream";

    private readonly byte[] _request = new byte[MessageSize];
    private readonly byte[] _response = new byte[MessageSize];
    private readonly CancellationTokenSource _stop = new();
    private CertificateAuthority _authority = null!;
    private WorkloadCertificates _clientCertificates = null!;
    private WorkloadCertificates _serverCertificates = null!;
    private SocketConnectionContextFactory _connections = null!;
    private Socket _tlsListener = null!;
    private Socket _plaintextListener = null!;
    private UpstreamTls _upstreamTls = null!;
    private DnsEndPoint _tlsHop = null!;
    private Stream _keptAliveTls = null!;
    private Stream _keptAlivePlaintext = null!;

    [GlobalSetup]
    public void Setup()
    {
        _authority = CertificateAuthority.LoadOrCreate(null, TimeProvider.System);
        var issuer = new WorkloadCertificateIssuer(_authority, WorkloadCertificateIssuer.DefaultLifetime, TimeProvider.System);
        _clientCertificates = Issue(issuer, "client");
        _serverCertificates = Issue(issuer, ServerServiceAccount);

        _connections = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), NullLogger.Instance);
        _tlsListener = Listen();
        _plaintextListener = Listen();
        var inbound = new InboundTls(new SnapshotStore(), _serverCertificates);
        _ = AcceptAsync(_tlsListener, inbound);
        _ = AcceptAsync(_plaintextListener, null);

        var tlsPort = ((IPEndPoint)_tlsListener.LocalEndPoint!).Port;
        _tlsHop = new DnsEndPoint(IPAddress.Loopback.ToString(), tlsPort);
        var store = new SnapshotStore();
        store.Publish(MeshSnapshot(tlsPort));
        _upstreamTls = new UpstreamTls(store, _clientCertificates, NullLogger.Instance);

        _keptAliveTls = ConnectAsync(_tlsListener, secure: true).AsTask().GetAwaiter().GetResult();
        _keptAlivePlaintext = ConnectAsync(_plaintextListener, secure: false).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _keptAliveTls.Dispose();
        _keptAlivePlaintext.Dispose();
        _tlsListener.Dispose();
        _plaintextListener.Dispose();
        _connections.Dispose();
        _clientCertificates.Dispose();
        _serverCertificates.Dispose();
        _authority.Dispose();
    }

    /// <summary>A new connection: TCP connect, the TLS 1.3 handshake with both certificates and secure naming, and
    /// the server's first byte, which it sends only after it has verified the client's certificate.</summary>
    [Benchmark]
    public async Task MutualTlsHandshake()
    {
        await using var stream = await ConnectAsync(_tlsListener, secure: true);
    }

    /// <summary>The same without TLS: what a new plaintext connection costs.</summary>
    [Benchmark]
    public async Task PlaintextConnect()
    {
        await using var stream = await ConnectAsync(_plaintextListener, secure: false);
    }

    /// <summary>A 1 KB request and a 1 KB response on a kept-alive plaintext connection.</summary>
    [Benchmark]
    public Task RoundTripPlaintext() => RoundTripAsync(_keptAlivePlaintext);

    /// <summary>The same on a kept-alive mutual-TLS connection: the difference is the per-request cost of mTLS.</summary>
    [Benchmark]
    public Task RoundTripMutualTls() => RoundTripAsync(_keptAliveTls);

    private async Task RoundTripAsync(Stream stream)
    {
        await stream.WriteAsync(_request);
        await stream.ReadExactlyAsync(_response);
    }

    private async ValueTask<Stream> ConnectAsync(Socket listener, bool secure)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(listener.LocalEndPoint!);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (secure)
        {
            stream = await _upstreamTls.SecureAsync(stream, _tlsHop, http2: true, CancellationToken.None);
        }

        var ready = new byte[1];
        await stream.ReadExactlyAsync(ready);
        return stream;
    }

    private static Socket Listen()
    {
        var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        return listener;
    }

    private async Task AcceptAsync(Socket listener, InboundTls? tls)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            _ = ServeAsync(_connections.Create(socket), tls);
        }
    }

    /// <summary>One server connection: the handshake (when TLS), one ready byte, then a 1 KB answer per 1 KB read.</summary>
    private async Task ServeAsync(ConnectionContext connection, InboundTls? tls)
    {
        await using var _ = connection;
        var transport = connection.Transport;
        Stream? ssl = null;
        if (tls is not null)
        {
            var result = await tls.AuthenticateAsync(connection, _stop.Token);
            if (result.Transport is null)
            {
                throw new InvalidOperationException("inbound handshake failed: " + result.Error);
            }

            ssl = result.Stream;
            transport = result.Transport;
        }

        try
        {
            var output = transport.Output;
            output.GetSpan(1)[0] = 1;
            output.Advance(1);
            await output.FlushAsync(_stop.Token);
            while (true)
            {
                var read = await transport.Input.ReadAtLeastAsync(MessageSize, _stop.Token);
                var buffer = read.Buffer;
                if (buffer.Length < MessageSize)
                {
                    return;
                }

                transport.Input.AdvanceTo(buffer.GetPosition(MessageSize));
                output.Write(_response);
                await output.FlushAsync(_stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException)
        {
        }
        finally
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync();
            }
        }
    }

    private static WorkloadCertificates Issue(WorkloadCertificateIssuer issuer, string serviceAccount)
    {
        var certificates = new WorkloadCertificates(WorkloadIdentity.DefaultTrustDomain, "default", serviceAccount, TimeProvider.System);
        var request = certificates.CreateRequest();
        using var leaf = issuer.Issue(request.Der.Span, new WorkloadIdentity(WorkloadIdentity.DefaultTrustDomain, "default", serviceAccount));
        var answer = new Certificate { RequestId = request.RequestId };
        answer.Chain.Add(ByteString.CopyFrom(leaf.RawData));
        foreach (var root in issuer.Authority.Roots)
        {
            answer.TrustBundle.Add(ByteString.CopyFrom(root.RawData));
        }

        if (!certificates.Accept(answer, out var error))
        {
            throw new InvalidOperationException(error);
        }

        return certificates;
    }

    /// <summary>What the control plane sends a client sidecar for a service behind a sidecar with mutual TLS on.</summary>
    private static ProxySnapshot MeshSnapshot(int sidecarPort)
    {
        var cluster = new Cluster
        {
            Name = "outbound|8080||upstream.default.svc.cluster.local",
            Tls = new TlsSettings { Mode = TlsSettings.Types.Mode.IstioMutual, Automatic = true },
        };
        cluster.Tls.SubjectAltNames.Add($"spiffe://{WorkloadIdentity.DefaultTrustDomain}/ns/default/sa/{ServerServiceAccount}");
        cluster.Endpoints.Add(new Endpoint { Address = "127.0.0.1", Port = 8080, Sidecar = "127.0.0.1:" + sidecarPort });
        var resources = new Dictionary<string, Resource> { [SnapshotBuilder.ClusterPrefix + cluster.Name] = new() { Cluster = cluster } };
        if (!SnapshotBuilder.TryBuild("1", resources, ProxySnapshot.Empty, new Random(1), out var snapshot, out var reason))
        {
            throw new InvalidOperationException(reason);
        }

        return snapshot;
    }
}
