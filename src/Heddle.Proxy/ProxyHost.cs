using Heddle.Proxy.Authorization;
using Heddle.Proxy.Admin;
using Heddle.Proxy.Configuration;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.Health;
using Heddle.Proxy.Http1;
using Heddle.Proxy.Lifetime;
using Heddle.Proxy.Listeners;
using Heddle.Proxy.Security;
using Heddle.Proxy.Sockets;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Telemetry.Tracing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
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
    private readonly UpstreamConnectionPool _leanPool;
    private readonly ExternalAuthorizer _externalAuthorizer;
    private readonly AccessLog _accessLog;
    private readonly MetricsHandler _metricsHandler;
    private readonly OtlpSpanExporter? _spanExporter;
    private readonly ReadinessProber? _prober;
    private readonly IDisposable? _probe;
    private readonly ParentProcessWatcher? _parentWatcher;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _background = [];
    private int _stopped;
    private Task? _discoveryRun;

    /// <summary>How long a stopping proxy waits for the control plane to hear its goodbye.</summary>
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long a stopping proxy keeps serving after its goodbye: the control plane's debounce and push to
    /// the other sidecars, so that none of them sends a new request to a closed listener.</summary>
    private static readonly TimeSpan DrainDelay = TimeSpan.FromMilliseconds(500);

    private ProxyHost(ProxyOptions options, Stream accessLogOutput)
    {
        Options = options;
        Snapshots = new SnapshotStore();
        Health = new AppHealth(options.Readiness is not null);
        Certificates = new WorkloadCertificates(options.TrustDomain, options.Namespace, options.ServiceAccount, options.TimeProvider);
        var inboundTls = new InboundTls(Snapshots, Certificates);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The proxy is configured by its options and the control plane, never by a settings file: no thread
            // watches the executable's directory for one changing.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = "heddle-proxy",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        LoggingLevel = new LogLevelSwitch(options.LogLevel);
        ConfigureLogging(builder.Logging, options.LogLevel, LoggingLevel);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout);
        builder.Services.AddHttpForwarder();
        if (InlineCompletions)
        {
            // With socket completions inline (set by the executable before its first socket), Kestrel runs its
            // connection code on the I/O thread too; the lean path never blocks there.
            builder.Services.Configure<SocketTransportOptions>(sockets => sockets.UnsafePreferInlineScheduling = true);
        }

        if (EventLoop.Enabled)
        {
            // Registered after Kestrel's socket transport, so Kestrel binds TCP endpoints with this one.
            builder.Services.AddSingleton<IConnectionListenerFactory, LoopTransportFactory>();
        }

        // Kestrel creates the connection middleware when it binds (StartAsync), after these two are set below.
        TcpTunnelRelay? relay = null;
        InboundTcpTunnel? inboundTunnel = null;
        LocalPeerFeature? outboundPeer = null, inboundPeer = null;
        ILogger? connectionLogger = null;
        IHttp1Handler? leanOutbound = null, leanInbound = null;
        Tracer? leanTracer = null;
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
            Listen(kestrel, options.MetricsPort, ListenerKind.Metrics, HttpProtocols.Http1);
            Listen(kestrel, options.MergedMetricsPort, ListenerKind.MergedMetrics, HttpProtocols.Http1);
        });

        _app = builder.Build();
        var loggerFactory = _app.Services.GetRequiredService<ILoggerFactory>();
        _logger = loggerFactory.CreateLogger("Heddle.Proxy");
        connectionLogger = loggerFactory.CreateLogger("Heddle.Proxy.Listeners");
        var securityLogger = loggerFactory.CreateLogger("Heddle.Proxy.Security");
        _externalAuthorizer = new ExternalAuthorizer(options.TimeProvider, securityLogger);
        _clients = new UpstreamClients(options.ConnectTimeout, options.UpstreamIdleTimeout, new UpstreamTls(Snapshots, Certificates, securityLogger));
        _accessLog = new AccessLog(options.AccessLog, accessLogOutput, _logger, options.AccessLogJson);
        Metrics = new ProxyMetrics();
        Telemetry = new MeshTelemetry(
            WorkloadPeer.FromLabels(options.Workload, options.Namespace, options.Labels, options.ServiceAccount, options.Cluster), Metrics);
        outboundPeer = new LocalPeerFeature(Telemetry.LocalMetadata, inbound: false);
        inboundPeer = new LocalPeerFeature(Telemetry.LocalMetadata, inbound: true);
        _spanExporter = options.TracingCollector is { } collector
            ? new OtlpSpanExporter(collector, Telemetry.Local, loggerFactory.CreateLogger("Heddle.Proxy.Tracing"))
            : null;
        var tracer = new Tracer(_spanExporter, options.TraceSamplingPercent, Telemetry.Local, options.NodeId, options.TimeProvider, options.Random);
        var completion = new RequestCompletion(Telemetry, tracer, _accessLog, options.TimeProvider);
        _leanPool = new UpstreamConnectionPool(Snapshots, _clients.Tls, options.TimeProvider);
        var hopDefaults = new HopSettings(options.ConnectTimeout, options.UpstreamIdleTimeout, 0, options.UpstreamIdleTimeout);
        if (LeanHttp1Enabled)
        {
            leanOutbound = new OutboundHttp1Handler(_leanPool, completion, options.Random, options.TimeProvider, hopDefaults);
            leanInbound = new InboundHttp1Handler(_leanPool, completion, options.TimeProvider, hopDefaults);
            leanTracer = tracer;
        }

        Snapshots.Published += new TelemetrySettingsApplier(_accessLog, tracer, _logger).Apply;
        _metricsHandler = new MetricsHandler(Metrics, options.PodIp, options.AppMetrics);
        relay = new TcpTunnelRelay(Snapshots, _accessLog, Telemetry, options.Random, options.TimeProvider, options.ConnectTimeout, _clients.Tls, securityLogger);
        inboundTunnel = new InboundTcpTunnel(Snapshots, _accessLog, Telemetry, options.TimeProvider, options.ConnectTimeout, securityLogger);
        Discovery = new DiscoveryClient(options, Snapshots, Health, loggerFactory.CreateLogger("Heddle.Proxy.Discovery"), Certificates);

        var forwarder = _app.Services.GetRequiredService<IHttpForwarder>();
        var lifetime = _app.Services.GetRequiredService<IHostApplicationLifetime>();
        var dispatcher = new RequestDispatcher(
            new OutboundHandler(Snapshots, forwarder, _clients, completion, options.Random, options.TimeProvider, loggerFactory.CreateLogger("Heddle.Proxy.Forwarding")),
            new InboundHandler(Snapshots, forwarder, _clients, completion, _externalAuthorizer, options.TimeProvider),
            new AdminHandler(Snapshots, Discovery, _metricsHandler, LoggingLevel, options.NodeId, lifetime.StopApplication, _logger, Certificates),
            new ReadinessHandler(Snapshots, Health, options.RequireWorkloadCertificate ? Certificates : null),
            _metricsHandler,
            tracer);
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
                listen.Use(next => new ListenerConnectionMiddleware(next, kind, relay!, options.TimeProvider, connectionLogger!, kind == ListenerKind.Inbound ? inboundTls : null, kind == ListenerKind.Inbound ? inboundTunnel : null).OnConnectionAsync);
                listen.Use(next => WithPeerMetadata(next, kind == ListenerKind.Outbound ? outboundPeer : kind == ListenerKind.Inbound ? inboundPeer : null));
                listen.Use(next => WithLeanHttp1(next, kind == ListenerKind.Outbound ? leanOutbound : kind == ListenerKind.Inbound ? leanInbound : null));
            });

        ConnectionDelegate WithLeanHttp1(ConnectionDelegate next, IHttp1Handler? handler) =>
            handler is null ? next : new Http1ConnectionMiddleware(next, Snapshots, handler, leanTracer!, options.TimeProvider, connectionLogger!).OnConnectionAsync;
    }

    public ProxyOptions Options { get; }

    /// <summary>Socket completions run inline on the I/O threads (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, which
    /// the executable sets at start); Kestrel then schedules inline as well.</summary>
    public static bool InlineCompletions => Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";

    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The lean HTTP/1.1 path on 15001 and 15006; <c>HEDDLE_LEAN_HTTP1=0</c> turns it off (every request then takes
    /// the general path, for comparison).</summary>
    public static bool LeanHttp1Enabled => Environment.GetEnvironmentVariable("HEDDLE_LEAN_HTTP1") != "0";

    public SnapshotStore Snapshots { get; }

    public AppHealth Health { get; }

    public DiscoveryClient Discovery { get; }

    public ProxyMetrics Metrics { get; }

    /// <summary>The lean HTTP/1.1 path's upstream connections.</summary>
    internal UpstreamConnectionPool LeanConnections => _leanPool;

    public MeshTelemetry Telemetry { get; }

    /// <summary>The level of the proxy's own loggers, which the admin listener's /logging changes.</summary>
    public LogLevelSwitch LoggingLevel { get; }

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
        if (_spanExporter is not null)
        {
            _background.Add(RunBackground("span export", _spanExporter.RunAsync(token)));
        }
        _discoveryRun = RunBackground("discovery", Discovery.RunAsync(token));
        _background.Add(_discoveryRun);
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

        // Leave the endpoint lists first, give the other sidecars a moment to hear it, then drain.
        if (_discoveryRun is { } running && await Discovery.LeaveAsync(running, LeaveTimeout).ConfigureAwait(false))
        {
            await Task.Delay(DrainDelay, Options.TimeProvider).ConfigureAwait(false);
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
        await _leanPool.DisposeAsync().ConfigureAwait(false);
        _externalAuthorizer.Dispose();
        _metricsHandler.Dispose();
        _spanExporter?.Dispose();
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

    /// <summary>Marks the listener's connections with this proxy's peer metadata (built with the proxy, before Kestrel binds).</summary>
    private static ConnectionDelegate WithPeerMetadata(ConnectionDelegate next, LocalPeerFeature? peer) =>
        peer is null
            ? next
            : connection =>
            {
                connection.Features.Set(peer);
                return next(connection);
            };

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level, LogLevelSwitch levelSwitch)
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
        // The proxy's own categories follow the switch, so /logging?level= changes them at run time.
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter((category, logLevel) => levelSwitch.IsEnabled(logLevel));
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
