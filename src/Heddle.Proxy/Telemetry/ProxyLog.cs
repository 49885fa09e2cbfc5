using Heddle.Discovery.V1;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Telemetry;

/// <summary>The proxy's diagnostic log messages (stderr), with stable event ids. Access-log lines are separate (stdout).</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(1, LogLevel.Information, "Connected to the control plane at {Address}")]
    public static partial void DiscoveryConnected(ILogger logger, Uri address);

    [LoggerMessage(2, LogLevel.Warning, "The control plane stream ended ({Reason}); reconnecting in {DelayMs} ms")]
    public static partial void DiscoveryDisconnected(ILogger logger, string reason, long delayMs);

    [LoggerMessage(3, LogLevel.Information, "Applied configuration version {Version} ({Resources} resources)")]
    public static partial void ConfigApplied(ILogger logger, string version, int resources);

    [LoggerMessage(4, LogLevel.Warning, "Rejected configuration version {Version}: {Reason}; still serving version '{Serving}'")]
    public static partial void ConfigRejected(ILogger logger, string version, string reason, string serving);

    [LoggerMessage(5, LogLevel.Information, "Application readiness is now {Health}")]
    public static partial void AppHealthChanged(ILogger logger, WorkloadHealth health);

    [LoggerMessage(6, LogLevel.Information, "Parent process {Pid} is gone; shutting down")]
    public static partial void ParentExited(ILogger logger, int pid);

    [LoggerMessage(7, LogLevel.Information, "Shutdown requested through the admin listener")]
    public static partial void QuitRequested(ILogger logger);

    [LoggerMessage(8, LogLevel.Information, "Proxy {NodeId} listening on {PodIp} (admin {Admin}, outbound {Outbound}, inbound {Inbound}, readiness {Readiness})")]
    public static partial void Listening(ILogger logger, string nodeId, string podIp, int admin, int outbound, int inbound, int readiness);

    [LoggerMessage(9, LogLevel.Debug, "Connection {ConnectionId}: tunnel to {Authority} carries neither HTTP/1 nor HTTP/2; relaying bytes")]
    public static partial void TcpTunnel(ILogger logger, string connectionId, string authority);

    [LoggerMessage(10, LogLevel.Debug, "Connection {ConnectionId}: {Message}")]
    public static partial void ConnectionRejected(ILogger logger, string connectionId, string message);

    [LoggerMessage(11, LogLevel.Warning, "Access log: {Dropped} lines dropped because stdout is too slow")]
    public static partial void AccessLogDropped(ILogger logger, long dropped);

    [LoggerMessage(41, LogLevel.Information, "Access log: {Settings}")]
    public static partial void AccessLogConfigured(ILogger logger, string settings);

    [LoggerMessage(42, LogLevel.Warning, "Access log: cannot open {Path} ({Reason}); writing to stdout")]
    public static partial void AccessLogFileFailed(ILogger logger, string path, string reason);

    [LoggerMessage(43, LogLevel.Information, "Tracing: sampling {Percentage}% of new traces")]
    public static partial void TraceSamplingConfigured(ILogger logger, double percentage);

    [LoggerMessage(13, LogLevel.Debug, "The control plane is still unreachable ({Reason}); next attempt in {DelayMs} ms")]
    public static partial void DiscoveryStillDisconnected(ILogger logger, string reason, long delayMs);

    [LoggerMessage(12, LogLevel.Error, "Background task {Task} failed")]
    public static partial void BackgroundTaskFailed(ILogger logger, string task, Exception exception);

    [LoggerMessage(40, LogLevel.Warning, "Tracing: {Count} spans not exported: {Reason}")]
    public static partial void SpanExportFailed(ILogger logger, int count, string reason);
}
