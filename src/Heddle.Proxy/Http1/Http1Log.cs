using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Http1;

/// <summary>The lean HTTP/1.1 path's diagnostic messages (event ids 500–509).</summary>
internal static partial class Http1Log
{
    [LoggerMessage(500, LogLevel.Debug, "Connection {ConnectionId} on the lean HTTP/1.1 path ended: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string connectionId, string reason);
}
