using System.Globalization;
using Heddle.Discovery;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Telemetry.Tracing;
using Heddle.Proxy.Upstreams;
using Microsoft.AspNetCore.Http.Features;

namespace Heddle.Proxy.Telemetry;

/// <summary>
/// The one point where a request ends: it always records the request's metrics, closes its span when it is traced,
/// and writes the access-log line when the access log is on and its filter accepts the status code.
/// </summary>
internal sealed class RequestCompletion(MeshTelemetry telemetry, Tracer tracer, AccessLog accessLog, TimeProvider timeProvider)
{
    public MeshTelemetry Telemetry => telemetry;

    /// <summary>A request of the local workload, routed to <paramref name="cluster"/> (null: no route) and <paramref name="endpoint"/>.</summary>
    public void Outbound(HttpContext context, long started, ResponseFlags flags, UpstreamCluster? cluster, UpstreamEndpoint? endpoint, string? route)
    {
        ServiceTarget service;
        WorkloadPeer destination;
        if (cluster is null)
        {
            service = telemetry.FromOutboundAuthority(context.Request.Host.Value);
            destination = WorkloadPeer.Unknown;
        }
        else
        {
            var clusterTelemetry = telemetry.For(cluster);
            service = clusterTelemetry.Service;
            destination = clusterTelemetry.PeerOf(endpoint);
        }

        var code = Record(context, started, flags, Reporter.Source, telemetry.Local, destination, service, cluster?.Name, endpoint?.UpstreamHost);
        if (accessLog.Accepts(code))
        {
            RequestLog.Write(accessLog, context, timeProvider, started, flags, endpoint?.UpstreamHost, cluster?.Name, route);
        }
    }

    /// <summary>A request of the local workload sent to the host it named (outbound traffic policy ALLOW_ANY).</summary>
    public void Passthrough(HttpContext context, long started, ResponseFlags flags, string target, string cluster)
    {
        var code = Record(context, started, flags, Reporter.Source, telemetry.Local, WorkloadPeer.Unknown, telemetry.FromPassthroughAuthority(target), cluster, target);
        if (accessLog.Accepts(code))
        {
            RequestLog.Write(accessLog, context, timeProvider, started, flags, target, cluster, null);
        }
    }

    /// <summary>A request from another sidecar for the local application (<paramref name="target"/> null: unknown port).</summary>
    public void Inbound(HttpContext context, long started, ResponseFlags flags, InboundTarget? target)
    {
        var source = telemetry.Peers.Resolve(context.Request.Headers[MeshHeaders.PeerMetadata].ToString());
        var code = Record(context, started, flags, Reporter.Destination, source, telemetry.Local, telemetry.FromInboundAuthority(context.Request.Host.Value), target?.ClusterName, target?.UpstreamHost);
        if (accessLog.Accepts(code))
        {
            RequestLog.Write(accessLog, context, timeProvider, started, flags, target?.UpstreamHost, target?.ClusterName, null);
        }
    }

    /// <summary>A request of the local workload taken by the lean HTTP/1.1 path, routed to <paramref name="cluster"/>.</summary>
    public void Outbound(IRequestView request, long started, ResponseFlags flags, UpstreamCluster cluster, UpstreamEndpoint? endpoint, string? route)
    {
        var clusterTelemetry = telemetry.For(cluster);
        var code = Record(request, started, flags, Reporter.Source, telemetry.Local, clusterTelemetry.PeerOf(endpoint), clusterTelemetry.Service);
        if (accessLog.Accepts(code))
        {
            Log(request, started, code, flags, endpoint?.UpstreamHost, cluster.Name, route);
        }
    }

    /// <summary>A request from another sidecar taken by the lean HTTP/1.1 path.</summary>
    public void Inbound(IRequestView request, long started, ResponseFlags flags, InboundTarget target)
    {
        var code = Record(request, started, flags, Reporter.Destination, request.SourcePeer(telemetry), telemetry.Local, request.InboundService(telemetry));
        if (accessLog.Accepts(code))
        {
            Log(request, started, code, flags, target.UpstreamHost, target.ClusterName, null);
        }
    }

    /// <summary>The lean path's requests are never gRPC and never traced (tracing sends them to the general path).</summary>
    private int Record(IRequestView request, long started, ResponseFlags flags, Reporter reporter, WorkloadPeer source, WorkloadPeer destination, ServiceTarget service)
    {
        var code = request.StatusCode;
        var key = new HttpSeriesKey(reporter, source, destination, service, RequestProtocol.Http, code, -1, flags, ConnectionSecurity.For(reporter, request.MutualTls));
        telemetry.Metrics.RecordRequest(key, timeProvider.GetElapsedTime(started), request.RequestBytes, request.ResponseBytes);
        return code;
    }

    private void Log(IRequestView request, long started, int code, ResponseFlags flags, string? upstreamHost, string? cluster, string? route)
    {
        var elapsed = timeProvider.GetElapsedTime(started);
        accessLog.Write(request.LogEntry(timeProvider.GetUtcNow() - elapsed, (long)elapsed.TotalMilliseconds, code, flags, upstreamHost, cluster, route));
    }

    /// <summary>Records the request's metrics and span; returns its status code (0: no response).</summary>
    private int Record(
        HttpContext context, long started, ResponseFlags flags, Reporter reporter, WorkloadPeer source, WorkloadPeer destination, ServiceTarget service,
        string? upstreamCluster, string? upstreamHost)
    {
        var request = context.Request;
        var response = context.Response;
        var grpc = IsGrpc(request);
        var code = (flags & ResponseFlags.DownstreamConnectionTermination) != 0 && !response.HasStarted ? 0 : response.StatusCode;
        var key = new HttpSeriesKey(
            reporter,
            source,
            destination,
            service,
            grpc ? RequestProtocol.Grpc : RequestProtocol.Http,
            code,
            grpc ? GrpcStatus(context) : -1,
            flags,
            ConnectionSecurity.For(reporter, context));
        telemetry.Metrics.RecordRequest(key, timeProvider.GetElapsedTime(started), request.ContentLength ?? 0, response.ContentLength ?? 0);
        tracer.End(context, code, flags, service, upstreamCluster, upstreamHost);
        return code;
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } contentType && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response; -1 when absent.</summary>
    private static int GrpcStatus(HttpContext context)
    {
        var value = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"] ?? default;
        if (value.Count == 0)
        {
            value = context.Response.Headers["grpc-status"];
        }

        return value.Count > 0 && int.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : -1;
    }
}
