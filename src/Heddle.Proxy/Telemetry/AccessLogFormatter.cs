using System.Buffers;
using System.Globalization;
using System.Text;

namespace Heddle.Proxy.Telemetry;

/// <summary>
/// Writes an entry as one line in the shape of Envoy's default access log, followed by the upstream cluster and route:
/// <c>[START_TIME] "METHOD PATH PROTOCOL" STATUS FLAGS BYTES_RECEIVED BYTES_SENT DURATION "X-FORWARDED-FOR" "USER-AGENT" "X-REQUEST-ID" "AUTHORITY" "UPSTREAM_HOST" CLUSTER ROUTE</c>,
/// then CONNECTION_TERMINATION_DETAILS on the lines that have one.
/// </summary>
internal static class AccessLogFormatter
{
    public static void Format(in AccessLogEntry entry, IBufferWriter<byte> output)
    {
        Ascii(output, "[");
        Formattable(output, entry.StartTime.UtcDateTime, "yyyy-MM-ddTHH:mm:ss.fffZ");
        Ascii(output, "] \"");
        Text(output, entry.Method);
        Ascii(output, " ");
        Text(output, string.IsNullOrEmpty(entry.Path) ? "/" : entry.Path);
        Text(output, entry.Query);
        Ascii(output, " ");
        Text(output, entry.Protocol);
        Ascii(output, "\" ");
        if (entry.Status == 0)
        {
            Ascii(output, "0");
        }
        else
        {
            Formattable(output, entry.Status, null);
        }

        Ascii(output, " ");
        ResponseFlagNames.Write(entry.Flags, output);
        Ascii(output, " ");
        Formattable(output, entry.BytesReceived, null);
        Ascii(output, " ");
        Formattable(output, entry.BytesSent, null);
        Ascii(output, " ");
        Formattable(output, entry.DurationMs, null);
        Quoted(output, entry.ForwardedFor);
        Quoted(output, entry.UserAgent);
        Quoted(output, entry.RequestId);
        Quoted(output, entry.Authority);
        Quoted(output, entry.UpstreamHost);
        Ascii(output, " ");
        Text(output, entry.UpstreamCluster ?? "-");
        Ascii(output, " ");
        Text(output, entry.RouteName ?? "-");
        if (entry.ConnectionTerminationDetails is { } details)
        {
            // Only a refused TCP connection has one (rbac_access_denied_matched_policy[...]), as Envoy's field.
            Ascii(output, " ");
            Text(output, details);
        }

        Ascii(output, "\n");
    }

    private static void Quoted(IBufferWriter<byte> output, string? value)
    {
        Ascii(output, " \"");
        Text(output, string.IsNullOrEmpty(value) ? "-" : value);
        Ascii(output, "\"");
    }

    /// <summary>The formatter's own punctuation, written as is.</summary>
    private static void Ascii(IBufferWriter<byte> output, string value)
    {
        var span = output.GetSpan(value.Length);
        var written = Encoding.ASCII.GetBytes(value, span);
        output.Advance(written);
    }

    /// <summary>Values from the request, with control characters blanked so that they cannot break the line.</summary>
    private static void Text(IBufferWriter<byte> output, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, span);
        for (var i = 0; i < written; i++)
        {
            if (span[i] < 0x20)
            {
                span[i] = (byte)' ';
            }
        }

        output.Advance(written);
    }

    private static void Formattable<T>(IBufferWriter<byte> output, T value, string? format)
        where T : IUtf8SpanFormattable
    {
        var span = output.GetSpan(64);
        if (!value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture))
        {
            written = 0;
        }

        output.Advance(written);
    }
}
