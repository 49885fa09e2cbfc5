using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane;

/// <summary>Every log line of the control plane, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "config loaded from {Directory}: version {Version}, {ResourceCount} resources")]
    public static partial void ConfigLoaded(ILogger logger, string directory, string version, int resourceCount);

    [LoggerMessage(2, LogLevel.Error, "config: {Diagnostic}")]
    public static partial void ConfigError(ILogger logger, string diagnostic);

    [LoggerMessage(3, LogLevel.Warning, "config: {Diagnostic}")]
    public static partial void ConfigWarning(ILogger logger, string diagnostic);

    [LoggerMessage(4, LogLevel.Error, "config in {Directory} rejected ({ErrorCount} error(s)); still serving version {Version}")]
    public static partial void ConfigRejected(ILogger logger, string directory, int errorCount, string version);

    [LoggerMessage(5, LogLevel.Error, "reading config from {Directory} failed; still serving version {Version}")]
    public static partial void ConfigReadFailed(ILogger logger, Exception exception, string directory, string version);

    [LoggerMessage(6, LogLevel.Warning, "cannot watch {Directory} ({Reason}); relying on the periodic rescan")]
    public static partial void WatcherUnavailable(ILogger logger, string directory, string reason);

    [LoggerMessage(10, LogLevel.Information, "proxy {ProxyId} connected: pod {PodName}.{Namespace}, workload {Workload}, ip {PodIp}")]
    public static partial void ProxyConnected(ILogger logger, string proxyId, string podName, string @namespace, string workload, string podIp);

    [LoggerMessage(11, LogLevel.Information, "proxy {ProxyId} disconnected")]
    public static partial void ProxyDisconnected(ILogger logger, string proxyId);

    [LoggerMessage(12, LogLevel.Information, "push {ProxyId} version {Version} (base {BaseVersion}): {Upserted} upserted, {Removed} removed")]
    public static partial void Pushed(ILogger logger, string proxyId, string version, string baseVersion, int upserted, int removed);

    [LoggerMessage(13, LogLevel.Warning, "proxy {ProxyId} rejected version {Version}: {Reason} ({Rejections} rejections so far)")]
    public static partial void Rejected(ILogger logger, string proxyId, string version, string reason, int rejections);

    [LoggerMessage(14, LogLevel.Information, "proxy {ProxyId} health {Health}")]
    public static partial void HealthChanged(ILogger logger, string proxyId, string health);

    [LoggerMessage(15, LogLevel.Debug, "proxy {ProxyId} stream ended: {Reason}")]
    public static partial void StreamEnded(ILogger logger, string proxyId, string reason);

    [LoggerMessage(20, LogLevel.Error, "computing snapshots failed")]
    public static partial void PushFailed(ILogger logger, Exception exception);

    [LoggerMessage(30, LogLevel.Information, "control plane listening: discovery {Discovery} (h2c), {SecureDiscovery} (TLS), monitoring {Monitoring}")]
    public static partial void Listening(ILogger logger, string discovery, string secureDiscovery, string monitoring);

    [LoggerMessage(40, LogLevel.Information, "restored {Count} pods from {Path}; each keeps its endpoints until its proxy reconnects or the grace runs out")]
    public static partial void PodsRestored(ILogger logger, int count, string path);

    [LoggerMessage(41, LogLevel.Warning, "cannot read the saved pods in {Path} ({Reason}); starting without them")]
    public static partial void PodsFileUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(42, LogLevel.Warning, "cannot save the pods to {Path} ({Reason})")]
    public static partial void PodsFileUnwritable(ILogger logger, string path, string reason);

    [LoggerMessage(50, LogLevel.Information, "fetched the JSON Web Key Set at {Uri}")]
    public static partial void JwksFetched(ILogger logger, string uri);

    [LoggerMessage(51, LogLevel.Warning, "cannot fetch the JSON Web Key Set at {Uri} ({Reason}); tokens of its issuer are refused until it can")]
    public static partial void JwksFetchFailed(ILogger logger, string uri, string reason);

    [LoggerMessage(43, LogLevel.Warning, "proxy {ProxyId} did not prove its identity ({Reason}); it gets configuration but is no endpoint")]
    public static partial void ProxyNotAuthenticated(ILogger logger, string proxyId, string reason);
}
