using Heddle.Proxy.Admin;
using Heddle.Proxy.Configuration;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.Health;
using Heddle.Proxy.Lifetime;
using Heddle.Proxy.Listeners;
using Heddle.Proxy.Security;
using Heddle.Proxy.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy;

/// <summary>
/// One proxy: its Kestrel listeners on the pod IP, the discovery client, the readiness prober, the access log and the
/// parent watcher. The executable runs one; tests start several in one process, each on its own loopback address.
/// </summary>
internal sealed class ProxyHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly UpstreamClients _clients;
    private readonly AccessLog _accessLog;
    private readonly ReadinessProber? _prober;
    private readonly IDisposable? _probe;
    private readonly ParentProcessWatcher? _parentWatcher;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _background = [];
    private int _stopped;

    private ProxyHost(ProxyOptions options, Stream accessLogOutput)
    {
        Options = options;
        Snapshots = new SnapshotStore();
        Health = new AppHealth(options.Readiness is not null);
        Certificates = new WorkloadCertificates(options.TrustDomain, options.Namespace, options.ServiceAccount, options.TimeProvider);
        var inboundTls = new InboundTls(Snapshots, Certificates);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "heddle-proxy",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureLogging(builder.Logging, options.LogLevel);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout);
        builder.Services.AddHttpForwarder();

        // Kestrel creates the connection middleware when it binds (StartAsync), after these two are set below.
        TcpTunnelRelay? relay = null;
        ILogger? connectionLogger = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // h2c connections are served as if ALPN chose h2 (see H2cPriorKnowledgeFeature); their scheme stays "http".
            kestrel.AllowAlternateSchemes = true;
            // An absolute-form request's authority wins over its Host header, as RFC 9112 section 3.2.2 says.
            kestrel.AllowHostHeaderOverride = true;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;

            Listen(kestrel, options.AdminPort, ListenerKind.Admin, HttpProtocols.Http1);
            Listen(kestrel, options.OutboundPort, ListenerKind.Outbound, HttpProtocols.Http1AndHttp2);
            Listen(kestrel, options.InboundPort, ListenerKind.Inbound, HttpProtocols.Http1AndHttp2);
            Listen(kestrel, options.ReadinessPort, ListenerKind.Readiness, HttpProtocols.Http1);
        });

        _app = builder.Build();
        var loggerFactory = _app.Services.GetRequiredService<ILoggerFactory>();
        _logger = loggerFactory.CreateLogger("Heddle.Proxy");
        connectionLogger = loggerFactory.CreateLogger("Heddle.Proxy.Listeners");
        var securityLogger = loggerFactory.CreateLogger("Heddle.Proxy.Security");
        _clients = new UpstreamClients(options.ConnectTimeout, options.UpstreamIdleTimeout, new UpstreamTls(Snapshots, Certificates, securityLogger));
        _accessLog = new AccessLog(options.AccessLog, accessLogOutput, _logger);
        relay = new TcpTunnelRelay(Snapshots, _accessLog, options.Random, options.TimeProvider, options.ConnectTimeout);
        Discovery = new DiscoveryClient(options, Snapshots, Health, loggerFactory.CreateLogger("Heddle.Proxy.Discovery"), Certificates);

        var forwarder = _app.Services.GetRequiredService<IHttpForwarder>();
        var lifetime = _app.Services.GetRequiredService<IHostApplicationLifetime>();
        var dispatcher = new RequestDispatcher(
            new OutboundHandler(Snapshots, forwarder, _clients, _accessLog, options.Random, options.TimeProvider),
            new InboundHandler(Snapshots, forwarder, _clients, _accessLog, options.TimeProvider),
            new AdminHandler(Snapshots, Discovery, options.NodeId, lifetime.StopApplication, _logger, Certificates),
            new ReadinessHandler(Snapshots, Health, options.RequireWorkloadCertificate ? Certificates : null));
        _app.Run(dispatcher.HandleAsync);

        if (options.Readiness is { } spec)
        {
            IReadinessProbe probe = spec.Kind == ReadinessProbeKind.Http
                ? new HttpReadinessProbe(options.PodIp, spec.Port, spec.Path)
                : new TcpReadinessProbe(options.PodIp, spec.Port);
            _probe = probe as IDisposable;
            _prober = new ReadinessProber(probe, Health, options.TimeProvider, loggerFactory.CreateLogger("Heddle.Proxy.Health"));
        }

        if (options.ParentPid is { } pid)
        {
            _parentWatcher = new ParentProcessWatcher(pid, options.TimeProvider, lifetime.StopApplication, _logger);
        }

        void Listen(KestrelServerOptions kestrel, int port, ListenerKind kind, HttpProtocols protocols) =>
            kestrel.Listen(options.PodIp, port, listen =>
            {
                listen.Protocols = protocols;
                listen.Use(next => new ListenerConnectionMiddleware(next, kind, relay!, options.TimeProvider, connectionLogger!, kind == ListenerKind.Inbound ? inboundTls : null).OnConnectionAsync);
            });
    }

    public ProxyOptions Options { get; }

    public SnapshotStore Snapshots { get; }

    public AppHealth Health { get; }

    public DiscoveryClient Discovery { get; }

    /// <summary>The workload certificate and its renewal.</summary>
    public WorkloadCertificates Certificates { get; }

    /// <summary>Builds a proxy; nothing listens until <see cref="StartAsync"/>.</summary>
    public static ProxyHost Create(ProxyOptions options, Stream? accessLogOutput = null) =>
        new(options, accessLogOutput ?? Console.OpenStandardOutput());

    /// <summary>Binds the listeners, then starts talking to the control plane and probing the application.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        ProxyLog.Listening(_logger, Options.NodeId, Options.PodIp.ToString(), Options.AdminPort, Options.OutboundPort, Options.InboundPort, Options.ReadinessPort);
        var token = _stopping.Token;
        _background.Add(RunBackground("access log", _accessLog.RunAsync(token)));
        _background.Add(RunBackground("discovery", Discovery.RunAsync(token)));
        if (_prober is not null)
        {
            _background.Add(RunBackground("readiness probe", _prober.RunAsync(token)));
        }

        if (_parentWatcher is not null)
        {
            _background.Add(RunBackground("parent watcher", _parentWatcher.RunAsync(token)));
        }
    }

    /// <summary>Completes when shutdown was requested (signal, /quitquitquit, parent gone) and in-flight requests drained.</summary>
    public async Task WaitForShutdownAsync()
    {
        await _app.WaitForShutdownAsync().ConfigureAwait(false);
        await StopAsync().ConfigureAwait(false);
    }

    public void RequestShutdown() => _app.Lifetime.StopApplication();

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_background).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Discovery.Dispose();
        _clients.Dispose();
        Certificates.Dispose();
        _probe?.Dispose();
        _stopping.Dispose();
    }

    private async Task RunBackground(string name, Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            ProxyLog.BackgroundTaskFailed(_logger, name, e);
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });
        // stdout carries the access log; diagnostics go to stderr.
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(level);
        // The frameworks log per request at Information; the proxy's access log replaces that.
        var frameworks = level > LogLevel.Warning ? level : LogLevel.Warning;
        logging.AddFilter("Microsoft", frameworks);
        // Kestrel warns that cleartext Http1AndHttp2 endpoints serve only HTTP/1.1; the listeners handle h2c themselves.
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", level > LogLevel.Error ? level : LogLevel.Error);
        // Upstream failures are expected on the data path: the access log's response flag reports them, one line each.
        logging.AddFilter("Yarp", level <= LogLevel.Debug ? level : LogLevel.Error);
        logging.AddFilter("Grpc", frameworks);
        // A failed start (a port in use) is reported by the executable in one line rather than as a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level > LogLevel.Critical ? level : LogLevel.Critical);
        logging.AddFilter("System", frameworks);
    }
}
