using System.Net;
using Heddle.Proxy.Configuration;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>A real proxy started in-process on its own pod IP, with its access log captured.</summary>
internal sealed class TestProxy : IAsyncDisposable
{
    private TestProxy(ProxyHost host, LineCapture accessLog)
    {
        Host = host;
        AccessLog = accessLog;
    }

    public ProxyHost Host { get; }

    public LineCapture AccessLog { get; }

    public IPAddress PodIp => Host.Options.PodIp;

    public string NodeId => Host.Options.NodeId;

    public Uri OutboundProxy => new($"http://{PodIp}:{Host.Options.OutboundPort}");

    public IPEndPoint OutboundEndpoint => new(PodIp, Host.Options.OutboundPort);

    public Uri Admin => new($"http://{PodIp}:{Host.Options.AdminPort}");

    public Uri Readiness => new($"http://{PodIp}:{Host.Options.ReadinessPort}");

    public string InboundSidecar => $"{PodIp}:{Host.Options.InboundPort}";

    public static ProxyOptions Options(IPAddress podIp, Uri discovery, string podName) => new()
    {
        DiscoveryAddress = discovery,
        PodIp = podIp,
        PodName = podName,
        Namespace = "default",
        Workload = podName.Split('-')[0],
        LogLevel = LogLevel.Warning,
        DiscoveryBackoffInitial = TimeSpan.FromMilliseconds(50),
        DiscoveryBackoffMax = TimeSpan.FromMilliseconds(200),
    };

    public static Task<TestProxy> StartAsync(IPAddress podIp, Uri discovery, string podName) =>
        StartAsync(Options(podIp, discovery, podName));

    public static async Task<TestProxy> StartAsync(ProxyOptions options)
    {
        var accessLog = new LineCapture();
        var host = ProxyHost.Create(options, accessLog);
        await host.StartAsync();
        return new TestProxy(host, accessLog);
    }

    /// <summary>Waits until the proxy serves configuration <paramref name="version"/>.</summary>
    public Task WaitForVersionAsync(string version) =>
        Eventually.WaitAsync(() => Host.Snapshots.Current.Version == version, $"{NodeId} to serve version {version}");

    /// <summary>A client configured with this proxy as its HTTP proxy, as a workload with HTTP_PROXY is.</summary>
    public HttpClient CreateProxiedClient() => new(new SocketsHttpHandler
    {
        Proxy = new WebProxy(OutboundProxy),
        UseProxy = true,
        AllowAutoRedirect = false,
    });

    /// <summary>A client whose every connection is a CONNECT tunnel through this proxy.</summary>
    public HttpClient CreateTunnelClient() => new(CreateTunnelHandler());

    public SocketsHttpHandler CreateTunnelHandler() => new()
    {
        UseProxy = false,
        ConnectCallback = (context, cancellationToken) => ConnectTunnel.OpenAsync(OutboundEndpoint, context.DnsEndPoint, cancellationToken),
    };

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
