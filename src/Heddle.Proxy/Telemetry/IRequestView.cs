using Heddle.Proxy.Telemetry.Metrics;

namespace Heddle.Proxy.Telemetry;

/// <summary>
/// A request that did not go through Kestrel's <c>HttpContext</c> (the lean HTTP/1.1 path), as
/// <see cref="RequestCompletion"/> reads it: what metrics and the access log need, without allocating unless a log
/// line is written.
/// </summary>
internal interface IRequestView
{
    /// <summary>The status the client got; 0 when no response was sent.</summary>
    int StatusCode { get; }

    /// <summary>The request's Content-Length (0 when it had none).</summary>
    long RequestBytes { get; }

    /// <summary>The response's Content-Length (0 when it had none).</summary>
    long ResponseBytes { get; }

    /// <summary>The connection carries a verified mesh identity (mutual TLS).</summary>
    bool MutualTls { get; }

    /// <summary>The service the request named by its authority (resolved through <paramref name="telemetry"/>, cached per connection).</summary>
    ServiceTarget InboundService(MeshTelemetry telemetry);

    /// <summary>The calling workload, from the peer-metadata header (cached per connection).</summary>
    WorkloadPeer SourcePeer(MeshTelemetry telemetry);

    /// <summary>The access-log entry (strings are made here, only when the line is written).</summary>
    AccessLogEntry LogEntry(DateTimeOffset start, long durationMs, int status, ResponseFlags flags, string? upstreamHost, string? cluster, string? route);
}
