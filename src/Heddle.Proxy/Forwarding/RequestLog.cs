using Heddle.Proxy.Telemetry;

namespace Heddle.Proxy.Forwarding;

/// <summary>Builds the access-log entry of a forwarded request; called only when the access log is on.</summary>
internal static class RequestLog
{
    public static void Write(
        AccessLog log,
        HttpContext context,
        TimeProvider timeProvider,
        long startTimestamp,
        ResponseFlags flags,
        string? upstreamHost,
        string? cluster,
        string? route)
    {
        var request = context.Request;
        var response = context.Response;
        var headers = request.Headers;
        var elapsed = timeProvider.GetElapsedTime(startTimestamp);
        log.Write(new AccessLogEntry(
            timeProvider.GetUtcNow() - elapsed,
            request.Method,
            request.Path.Value,
            request.QueryString.Value,
            request.Protocol,
            (flags & ResponseFlags.DownstreamConnectionTermination) != 0 && !response.HasStarted ? 0 : response.StatusCode,
            flags,
            request.ContentLength ?? 0,
            response.ContentLength ?? 0,
            (long)elapsed.TotalMilliseconds,
            headers["x-forwarded-for"].ToString(),
            headers.UserAgent.ToString(),
            headers["x-request-id"].ToString(),
            request.Host.Value,
            upstreamHost,
            cluster,
            route,
            headers["traceparent"].ToString()));
    }
}
