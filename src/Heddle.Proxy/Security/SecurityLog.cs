using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Security;

/// <summary>Log lines of identity and TLS, with stable event ids (400–449).</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(400, LogLevel.Information, "workload certificate installed: {SpiffeId}, serial {Serial}, valid until {NotAfter:o}, renewal at {RenewAt:o}")]
    public static partial void CertificateInstalled(ILogger logger, string spiffeId, string serial, DateTimeOffset notAfter, DateTimeOffset renewAt);

    [LoggerMessage(401, LogLevel.Warning, "workload certificate not installed: {Reason}")]
    public static partial void CertificateRefused(ILogger logger, string reason);

    [LoggerMessage(402, LogLevel.Debug, "certificate signing request {RequestId} sent")]
    public static partial void CertificateRequested(ILogger logger, string requestId);

    [LoggerMessage(410, LogLevel.Information, "inbound connection {ConnectionId} refused: {Reason}")]
    public static partial void InboundRefused(ILogger logger, string connectionId, string reason);

    [LoggerMessage(411, LogLevel.Warning, "TLS to {Upstream} failed ({Settings}): {Reason}")]
    public static partial void UpstreamHandshakeFailed(ILogger logger, string upstream, string settings, string reason);

    [LoggerMessage(412, LogLevel.Warning, "upstream server certificate rejected: {Reason}")]
    public static partial void ServerRejected(ILogger logger, string reason);

    [LoggerMessage(413, LogLevel.Information, "inbound TCP connection {ConnectionId} to port {Port} from {Peer} denied: {Details}")]
    public static partial void TcpDenied(ILogger logger, string connectionId, int port, string peer, string details);

    [LoggerMessage(414, LogLevel.Information, "TCP tunnel to {Upstream} refused by the peer sidecar: {Status}")]
    public static partial void TunnelRefused(ILogger logger, string upstream, int status);
}
