using Heddle.ControlPlane.Telemetry;
using System.Net;
using Heddle.ControlPlane.Discovery;
using Heddle.ControlPlane.Jwks;
using Heddle.ControlPlane.Monitoring;
using Heddle.ControlPlane.Push;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Security;
using Heddle.Config.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane;

/// <summary>A running control plane: the configuration source, the registries, and its two servers (discovery over
/// h2c, monitoring over HTTP/1.1), each on its own endpoint.</summary>
internal sealed class ControlPlaneServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<WebApplication> _applications = [];
    private bool _disposed;

    private ControlPlaneServer(FileConfigSource config, PodRegistry pods, ProxyConnections connections, PushCoordinator push)
    {
        Config = config;
        Pods = pods;
        Connections = connections;
        Push = push;
    }

    public FileConfigSource Config { get; }

    public PodRegistry Pods { get; }

    public ProxyConnections Connections { get; }

    public PushCoordinator Push { get; }

    /// <summary>The bound discovery endpoint (the actual port when the options asked for port 0).</summary>
    public IPEndPoint DiscoveryEndpoint { get; private set; } = new(IPAddress.Loopback, 0);

    public IPEndPoint MonitoringEndpoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>The bound TLS discovery endpoint; null when the options asked for none.</summary>
    public IPEndPoint? SecureDiscoveryEndpoint { get; private set; }

    public static async Task<ControlPlaneServer> StartAsync(ControlPlaneOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var certificates = CreateCertificateSigning(options, loggerFactory);
        var pods = new PodRegistry(options.TimeProvider);
        var connections = new ProxyConnections();
        var push = new PushCoordinator(ConfigSet.Empty, pods, connections, options.TimeProvider, loggerFactory.CreateLogger<PushCoordinator>());
        var metrics = new ControlPlaneMetrics(options.TimeProvider);
        var config = new FileConfigSource(options.ConfigDirectory, options.TimeProvider, loggerFactory.CreateLogger<FileConfigSource>(), metrics: metrics);
        var jwks = new JwksResolver(options.TimeProvider, loggerFactory.CreateLogger<JwksResolver>());
        config.Changed += state => push.UpdateConfig(jwks.Resolve(state.Config));
        jwks.KeysChanged += () => push.UpdateConfig(jwks.Resolve(config.Current.Config));
        var server = new ControlPlaneServer(config, pods, connections, push) { _metrics = metrics, _jwks = jwks };
        try
        {
            if (options.RegistryFile is { } registryFile)
            {
                server._registryFile = PodRegistryFile.Attach(registryFile, pods, options.TimeProvider, loggerFactory.CreateLogger<PodRegistryFile>());
            }

            config.Start();
            server.Certificates = certificates;
            var discovery = new DiscoveryService(pods, connections, push, loggerFactory.CreateLogger<DiscoveryService>(), server._stopping.Token, metrics, server.Certificates);
            if (options.SecureDiscoveryEndpoint is { } secure)
            {
                server._serving = new ServingCertificate(certificates.Issuer, [secure.Address], options.TimeProvider);
            }

            var serving = server._serving;
            var discoveryApp = CreateApplication(loggerFactory, kestrel =>
            {
                kestrel.Listen(options.DiscoveryEndpoint, listen => listen.Protocols = HttpProtocols.Http2);
                if (options.SecureDiscoveryEndpoint is { } secure && serving is not null)
                {
                    kestrel.Listen(secure, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http2;
                        listen.UseHttps(new TlsHandshakeCallbackOptions
                        {
                            OnConnection = _ => ValueTask.FromResult(serving.ServerOptions()),
                            HandshakeTimeout = TimeSpan.FromSeconds(10),
                        });
                    });
                }
            }, services =>
            {
                services.AddGrpc();
                services.AddSingleton(discovery);
            });
            discoveryApp.MapGrpcService<DiscoveryService>();
            var bound = await server.StartAsync(discoveryApp, cancellationToken).ConfigureAwait(false);
            server.DiscoveryEndpoint = Bound(bound, "http", options.DiscoveryEndpoint);
            if (options.SecureDiscoveryEndpoint is { } secureEndpoint)
            {
                server.SecureDiscoveryEndpoint = Bound(bound, "https", secureEndpoint);
            }

            var monitoringApp = CreateApplication(loggerFactory, kestrel => kestrel.Listen(options.MonitoringEndpoint, listen => listen.Protocols = HttpProtocols.Http1), _ => { });
            MonitoringEndpoints.Map(monitoringApp, config, pods, connections, metrics);
            server.MonitoringEndpoint = Bound(await server.StartAsync(monitoringApp, cancellationToken).ConfigureAwait(false), "http", options.MonitoringEndpoint);

            Log.Listening(loggerFactory.CreateLogger<ControlPlaneServer>(), server.DiscoveryEndpoint.ToString(), server.SecureDiscoveryEndpoint?.ToString() ?? "none", server.MonitoringEndpoint.ToString());
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The certificate authority's signing of workload certificates.</summary>
    public CertificateSigning? Certificates { get; private set; }

    private static CertificateSigning CreateCertificateSigning(ControlPlaneOptions options, ILoggerFactory loggerFactory)
    {
        var authority = CertificateAuthority.LoadOrCreate(options.CaDirectory, options.TimeProvider);
        IProxyAuthenticator authenticator = options.TokensFile is { } tokens ? new TokenFileAuthenticator(tokens) : new NodeClaimAuthenticator();
        var logger = loggerFactory.CreateLogger<CertificateSigning>();
        if (options.TokensFile is null)
        {
            CertificateSigning.LogClaimsBelieved(logger);
        }

        CertificateSigning.LogAuthority(logger, authority.Generated ? "generated root" : "certificates from", options.CaDirectory ?? "memory", authority.Roots[0].Subject, authority.Roots[0].GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
        return new CertificateSigning(new WorkloadCertificateIssuer(authority, options.WorkloadCertificateLifetime, options.TimeProvider), authenticator, logger);
    }

    private static WebApplication CreateApplication(ILoggerFactory loggerFactory, Action<KestrelServerOptions> listen, Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        // The caller owns the process's signals and lifetime; the servers only stop when told to.
        builder.Services.AddSingleton<IHostLifetime, ExternallyControlledLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(listen);
        configure(builder.Services);
        return builder.Build();
    }

    /// <summary>Starts the application; returns the addresses it is bound to.</summary>
    private async Task<ICollection<string>> StartAsync(WebApplication application, CancellationToken cancellationToken)
    {
        _applications.Add(application);
        await application.StartAsync(cancellationToken).ConfigureAwait(false);
        return application.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
    }

    /// <summary>The bound endpoint of <paramref name="scheme"/> (the actual port when port 0 was asked for).</summary>
    private static IPEndPoint Bound(ICollection<string> addresses, string scheme, IPEndPoint requested)
    {
        foreach (var address in addresses)
        {
            var uri = new Uri(address);
            if (uri.Scheme == scheme)
            {
                return new IPEndPoint(requested.Address, uri.Port);
            }
        }

        return requested;
    }

    private ControlPlaneMetrics? _metrics;
    private PodRegistryFile? _registryFile;
    private ServingCertificate? _serving;
    private JwksResolver? _jwks;

    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(1);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var application in _applications)
        {
            // Streams end on _stopping; whatever has not finished after the grace period is aborted, so that a
            // restart never waits on a proxy that does not answer.
            using var grace = new CancellationTokenSource(StopGracePeriod);
            await application.StopAsync(grace.Token).ConfigureAwait(false);
            await application.DisposeAsync().ConfigureAwait(false);
        }

        _registryFile?.Dispose();
        _serving?.Dispose();
        _jwks?.Dispose();
        Config.Dispose();
        Push.Dispose();
        _metrics?.Dispose();
        _stopping.Dispose();
    }

    private sealed class ExternallyControlledLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
