using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Heddle.ControlPlane.Security;
using Heddle.ControlPlane.Tests.Security;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Discovery;

/// <summary>The discovery service on the TLS port (15012): the same streams, behind a certificate of the mesh's CA.</summary>
public sealed class SecureDiscoveryTests : IAsyncLifetime
{
    private readonly TempConfigDirectory _config = new();
    private readonly TempConfigDirectory _ca = new();
    private ControlPlaneServer? _server;

    public async Task InitializeAsync()
    {
        var options = new ControlPlaneOptions
        {
            ConfigDirectory = _config.Path,
            CaDirectory = _ca.Path,
            DiscoveryEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            SecureDiscoveryEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            MonitoringEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
        };
        _server = await ControlPlaneServer.StartAsync(options, new CapturingLoggerFactory(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _config.Dispose();
        _ca.Dispose();
    }

    [Fact]
    public async Task Stream_ClientTrustingTheRootFile_GetsItsSnapshotOverTls()
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(Path.Combine(_ca.Path, CertificateAuthority.RootFile));
        X509Certificate2? seen = null;

        using var channel = Channel(roots, certificate => seen = certificate);
        using var proxy = Connect(channel);
        await proxy.HelloAsync();
        var first = await proxy.ReadAsync();

        Assert.Equal("", first.BaseVersion);
        Assert.NotNull(seen);
        Assert.Contains("spiffe://cluster.local/ns/istio-system/sa/heddle-control-plane", TestCertificates.Uris(seen!));
        Assert.NotEqual(0, _server!.SecureDiscoveryEndpoint!.Port);
    }

    [Fact]
    public async Task Stream_ClientTrustingAnotherRoot_IsRefusedBeforeItSendsAnything()
    {
        using var other = CertificateAuthority.LoadOrCreate(null, TimeProvider.System);
        var roots = new X509Certificate2Collection(other.Roots[0]);

        using var channel = Channel(roots, _ => { });
        using var proxy = Connect(channel);
        var error = await Assert.ThrowsAsync<RpcException>(proxy.HelloAsync);

        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.Status.DebugException?.InnerException);
    }

    private GrpcChannel Channel(X509Certificate2Collection roots, Action<X509Certificate2> seen) =>
        GrpcChannel.ForAddress($"https://{_server!.SecureDiscoveryEndpoint}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    {
                        if (certificate is not X509Certificate2 leaf || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                        {
                            return false;
                        }

                        seen(leaf);
                        return TestCertificates.Chains(leaf, [], roots.Cast<X509Certificate2>(), DateTimeOffset.UtcNow);
                    },
                },
            },
        });

    private static ProxyClient Connect(GrpcChannel channel)
    {
        var client = new global::Heddle.Discovery.V1.Discovery.DiscoveryClient(channel);
        var node = new Node { Id = "web-0.default", PodName = "web-0", Namespace = "default", Workload = "web", PodIp = "127.0.0.9" };
        return new ProxyClient(client.Stream(), node, WorkloadHealth.Healthy);
    }
}
