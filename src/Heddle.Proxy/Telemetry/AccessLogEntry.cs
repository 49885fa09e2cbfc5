namespace Heddle.Proxy.Telemetry;

/// <summary>What the access log records about one request. Holds references to strings the request already has; formatted off the request path.</summary>
internal readonly record struct AccessLogEntry(
    DateTimeOffset StartTime,
    string Method,
    string? Path,
    string? Query,
    string Protocol,
    int Status,
    ResponseFlags Flags,
    long BytesReceived,
    long BytesSent,
    long DurationMs,
    string? ForwardedFor,
    string? UserAgent,
    string? RequestId,
    string? Authority,
    string? UpstreamHost,
    string? UpstreamCluster,
    string? RouteName,
    string? TraceParent = null,
    string? ConnectionTerminationDetails = null);
