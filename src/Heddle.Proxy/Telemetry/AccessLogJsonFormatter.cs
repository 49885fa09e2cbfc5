using System.Buffers;
using System.Text.Json;

namespace Heddle.Proxy.Telemetry;

/// <summary>
/// Writes an entry as one JSON object per line, with the field names of Envoy's JSON access log in Istio
/// (<c>start_time</c>, <c>method</c>, <c>path</c>, <c>protocol</c>, <c>response_code</c>, <c>response_flags</c>, ...)
/// and the request's <c>trace_id</c>.
/// Absent values are null.
/// </summary>
internal sealed class AccessLogJsonFormatter
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, SkipValidation = true };

    private Utf8JsonWriter? _writer;

    public void Format(in AccessLogEntry entry, IBufferWriter<byte> output)
    {
        var json = _writer ??= new Utf8JsonWriter(output, Options);
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("start_time"u8, entry.StartTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("method"u8, entry.Method);
        var path = string.IsNullOrEmpty(entry.Path) ? "/" : entry.Path;
        json.WriteString("path"u8, string.IsNullOrEmpty(entry.Query) ? path : path + entry.Query);
        json.WriteString("protocol"u8, entry.Protocol);
        json.WriteNumber("response_code"u8, entry.Status);
        json.WriteString("response_flags"u8, ResponseFlagNames.Format(entry.Flags));
        json.WriteNumber("bytes_received"u8, entry.BytesReceived);
        json.WriteNumber("bytes_sent"u8, entry.BytesSent);
        json.WriteNumber("duration"u8, entry.DurationMs);
        StringOrNull(json, "x_forwarded_for"u8, entry.ForwardedFor);
        StringOrNull(json, "user_agent"u8, entry.UserAgent);
        StringOrNull(json, "request_id"u8, entry.RequestId);
        StringOrNull(json, "authority"u8, entry.Authority);
        StringOrNull(json, "upstream_host"u8, entry.UpstreamHost);
        StringOrNull(json, "upstream_cluster"u8, entry.UpstreamCluster);
        StringOrNull(json, "route_name"u8, entry.RouteName);
        // The trace id of the W3C traceparent "00-TRACEID-SPANID-FLAGS" the request was forwarded with.
        if (entry.TraceParent is { Length: >= 35 } traceParent)
        {
            json.WriteString("trace_id"u8, traceParent.AsSpan(3, 32));
        }
        else
        {
            json.WriteNull("trace_id"u8);
        }

        if (entry.ConnectionTerminationDetails is { } details)
        {
            json.WriteString("connection_termination_details"u8, details);
        }

        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }

    private static void StringOrNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
