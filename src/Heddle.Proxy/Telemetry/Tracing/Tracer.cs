using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Telemetry.Tracing.Otlp;
using Microsoft.Extensions.Primitives;

namespace Heddle.Proxy.Telemetry.Tracing;

/// <summary>
/// A span per hop, as Envoy's tracing in Istio: the client sidecar's span (kind CLIENT) for each outbound request and
/// the server sidecar's (kind SERVER) for each inbound one. The request's trace context is taken from
/// <c>traceparent</c> or B3 headers, or started here (sampled with the configured percentage), and the forwarded
/// request carries this hop's span as parent, in the formats the request came with (always <c>traceparent</c>).
/// Sampled spans are exported over OTLP when they complete. Without a collector, tracing is off and costs nothing.
/// </summary>
internal sealed class Tracer
{
    private const long NanosPerTick = 100;

    private readonly OtlpSpanExporter? _exporter;
    private readonly double _defaultSamplingPercent;
    private double _samplingPercent;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly string _nodeId;
    private readonly WorkloadPeer _local;

    public Tracer(OtlpSpanExporter? exporter, double samplingPercent, WorkloadPeer local, string nodeId, TimeProvider timeProvider, Random random)
    {
        _exporter = exporter;
        _defaultSamplingPercent = samplingPercent;
        _samplingPercent = samplingPercent;
        _local = local;
        _nodeId = nodeId;
        _timeProvider = timeProvider;
        _random = random;
    }

    public bool Enabled => _exporter is not null;

    /// <summary>The percentage of new traces sampled now.</summary>
    public double SamplingPercent => Volatile.Read(ref _samplingPercent);

    /// <summary>Applies the control plane's sampling percentage; null returns to the command-line one. True when it changed.</summary>
    public bool ConfigureSampling(double? percent)
    {
        var value = Math.Clamp(percent ?? _defaultSamplingPercent, 0, 100);
        if (value == Volatile.Read(ref _samplingPercent))
        {
            return false;
        }

        Volatile.Write(ref _samplingPercent, value);
        return true;
    }

    /// <summary>Opens this hop's span and rewrites the request's trace headers so the next hop is its child.</summary>
    public void Start(HttpContext context, bool inbound)
    {
        if (_exporter is null)
        {
            return;
        }

        var headers = context.Request.Headers;
        var hasParent = TryRead(headers, out var parent, out var b3Multi, out var b3Single);
        var spanId = NextId();
        var current = hasParent
            ? parent with { SpanId = spanId }
            : new TraceContext(NextId(), NextId(), spanId, _random.NextDouble() * 100 < Volatile.Read(ref _samplingPercent));

        headers[TraceContext.TraceParent] = current.FormatTraceParent(spanId);
        if (b3Multi)
        {
            headers[TraceContext.B3TraceId] = current.TraceIdHex;
            headers[TraceContext.B3SpanId] = TraceContext.Hex(spanId);
            headers[TraceContext.B3Sampled] = current.Sampled ? "1" : "0";
            if (hasParent)
            {
                headers[TraceContext.B3ParentSpanId] = TraceContext.Hex(parent.SpanId);
            }
        }

        if (b3Single)
        {
            headers[TraceContext.B3] = current.TraceIdHex + "-" + TraceContext.Hex(spanId) + (current.Sampled ? "-1" : "-0")
                + (hasParent ? "-" + TraceContext.Hex(parent.SpanId) : "");
        }

        if (current.Sampled)
        {
            var state = headers[TraceContext.TraceState];
            context.Features.Set(new ActiveSpan(
                current,
                hasParent ? parent.SpanId : 0,
                inbound ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Client,
                UnixNanos(_timeProvider.GetUtcNow()),
                state.Count > 0 ? state.ToString() : null));
        }
    }

    /// <summary>Closes the request's span, if it has one, with Istio's span attributes.</summary>
    public void End(HttpContext context, int status, ResponseFlags flags, ServiceTarget service, string? upstreamCluster, string? upstreamHost)
    {
        if (_exporter is null || context.Features.Get<ActiveSpan>() is not { } active)
        {
            return;
        }

        var request = context.Request;
        var authority = request.Host.Value ?? "";
        var colon = authority.LastIndexOf(':');
        var port = colon > 0 && authority.IndexOf(']', colon) < 0 ? authority[colon..] : request.IsHttps ? ":443" : ":80";
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(TraceIdBytes(active.Context)),
            SpanId = ByteString.CopyFrom(IdBytes(active.Context.SpanId)),
            Name = service.Host + port + "/*",
            Kind = active.Kind,
            StartTimeUnixNano = (ulong)active.StartUnixNanos,
            EndTimeUnixNano = (ulong)UnixNanos(_timeProvider.GetUtcNow()),
            Status = new Status { Code = status is 0 or >= 500 ? Status.Types.StatusCode.Error : Status.Types.StatusCode.Unset },
        };
        if (active.ParentSpanId != 0)
        {
            span.ParentSpanId = ByteString.CopyFrom(IdBytes(active.ParentSpanId));
        }

        if (active.TraceState is not null)
        {
            span.TraceState = active.TraceState;
        }

        var attributes = span.Attributes;
        Add(attributes, "node_id", _nodeId);
        Add(attributes, "component", "proxy");
        Add(attributes, "guid:x-request-id", request.Headers[RequestId.Header].ToString());
        Add(attributes, "http.url", request.Scheme + "://" + authority + request.Path.Value + request.QueryString.Value);
        Add(attributes, "http.method", request.Method);
        Add(attributes, "http.protocol", request.Protocol);
        Add(attributes, "http.status_code", status.ToString(CultureInfo.InvariantCulture));
        Add(attributes, "response_flags", ResponseFlagNames.Format(flags));
        Add(attributes, "upstream_cluster", upstreamCluster ?? "-");
        Add(attributes, "upstream_cluster.name", upstreamCluster ?? "-");
        Add(attributes, "peer.address", context.Connection.RemoteIpAddress?.ToString() ?? "-");
        Add(attributes, "user_agent", request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : "-");
        Add(attributes, "request_size", (request.ContentLength ?? 0).ToString(CultureInfo.InvariantCulture));
        Add(attributes, "response_size", (context.Response.ContentLength ?? 0).ToString(CultureInfo.InvariantCulture));
        Add(attributes, "istio.canonical_service", _local.App != WorkloadPeer.UnknownValue ? _local.App : _local.Workload);
        Add(attributes, "istio.canonical_revision", _local.Version != WorkloadPeer.UnknownValue ? _local.Version : "latest");
        Add(attributes, "istio.namespace", _local.Namespace);
        Add(attributes, "istio.mesh_id", "cluster.local");
        if (upstreamHost is not null)
        {
            Add(attributes, "upstream_host", upstreamHost);
        }

        _exporter.Enqueue(span);
    }

    private static bool TryRead(IHeaderDictionary headers, out TraceContext context, out bool b3Multi, out bool b3Single)
    {
        b3Multi = headers.ContainsKey(TraceContext.B3TraceId);
        b3Single = headers.ContainsKey(TraceContext.B3);
        if (headers.TryGetValue(TraceContext.TraceParent, out var traceParent) && traceParent.Count == 1
            && TraceContext.TryParseTraceParent(traceParent[0], out context))
        {
            return true;
        }

        if (b3Single && TraceContext.TryParseB3Single(headers[TraceContext.B3].ToString(), out context))
        {
            return true;
        }

        if (b3Multi && TraceContext.TryParseB3(
            headers[TraceContext.B3TraceId].ToString(), headers[TraceContext.B3SpanId].ToString(), Single(headers[TraceContext.B3Sampled]), out context))
        {
            return true;
        }

        context = default;
        return false;
    }

    private static string Single(StringValues values) => values.Count > 0 ? values[0] ?? "1" : "1";

    private ulong NextId()
    {
        ulong id;
        do
        {
            id = (ulong)_random.NextInt64() ^ ((ulong)_random.Next() << 63);
        }
        while (id == 0);

        return id;
    }

    private static long UnixNanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosPerTick;

    private static byte[] TraceIdBytes(TraceContext context)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, context.TraceIdHigh);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), context.TraceIdLow);
        return bytes;
    }

    private static byte[] IdBytes(ulong id)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, id);
        return bytes;
    }

    private static void Add(Google.Protobuf.Collections.RepeatedField<KeyValue> attributes, string key, string value) =>
        attributes.Add(new KeyValue { Key = key, Value = new AnyValue { StringValue = value } });
}
