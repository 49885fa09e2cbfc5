using System.Globalization;

namespace Heddle.Proxy.Telemetry.Tracing;

/// <summary>
/// The trace a request belongs to, as its headers carry it: W3C <c>traceparent</c>
/// (<c>00-TRACEID-PARENTID-FLAGS</c>), or B3 (<c>x-b3-traceid</c>/<c>x-b3-spanid</c>/<c>x-b3-sampled</c>, or the
/// single <c>b3</c> header).
/// </summary>
internal readonly record struct TraceContext(ulong TraceIdHigh, ulong TraceIdLow, ulong SpanId, bool Sampled)
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string B3 = "b3";
    public const string B3TraceId = "x-b3-traceid";
    public const string B3SpanId = "x-b3-spanid";
    public const string B3ParentSpanId = "x-b3-parentspanid";
    public const string B3Sampled = "x-b3-sampled";

    public bool IsValid => (TraceIdHigh != 0 || TraceIdLow != 0) && SpanId != 0;

    public string TraceIdHex => TraceIdHigh.ToString("x16", CultureInfo.InvariantCulture) + TraceIdLow.ToString("x16", CultureInfo.InvariantCulture);

    public static string Hex(ulong id) => id.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Reads <c>00-&lt;32 hex&gt;-&lt;16 hex&gt;-&lt;2 hex&gt;</c>; false for anything else or all-zero ids.</summary>
    public static bool TryParseTraceParent(ReadOnlySpan<char> value, out TraceContext context)
    {
        context = default;
        if (value.Length < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-' || value[..2] is "ff"
            || !TryHex(value[3..19], out var high) || !TryHex(value[19..35], out var low)
            || !TryHex(value[36..52], out var span) || !byte.TryParse(value[53..55], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var flags))
        {
            return false;
        }

        context = new TraceContext(high, low, span, (flags & 1) != 0);
        return context.IsValid;
    }

    /// <summary>Reads the multi-header B3 form (a 16 or 32 hex digit trace id).</summary>
    public static bool TryParseB3(ReadOnlySpan<char> traceId, ReadOnlySpan<char> spanId, ReadOnlySpan<char> sampled, out TraceContext context)
    {
        context = default;
        if (!TryTraceId(traceId, out var high, out var low) || spanId.Length != 16 || !TryHex(spanId, out var span))
        {
            return false;
        }

        context = new TraceContext(high, low, span, sampled is "1" or "true" or "d");
        return context.IsValid;
    }

    /// <summary>Reads the single-header B3 form <c>TRACEID-SPANID[-SAMPLED[-PARENTID]]</c>.</summary>
    public static bool TryParseB3Single(ReadOnlySpan<char> value, out TraceContext context)
    {
        context = default;
        var first = value.IndexOf('-');
        if (first <= 0)
        {
            return false;
        }

        var rest = value[(first + 1)..];
        var second = rest.IndexOf('-');
        var span = second < 0 ? rest : rest[..second];
        var sampled = second < 0 ? "1" : rest[(second + 1)..];
        var third = sampled.IndexOf('-');
        if (third >= 0)
        {
            sampled = sampled[..third];
        }

        return TryParseB3(value[..first], span, sampled, out context);
    }

    /// <summary><c>00-TRACEID-SPANID-FLAGS</c> for this trace with <paramref name="spanId"/> as parent, in one allocation.</summary>
    public string FormatTraceParent(ulong spanId) =>
        string.Create(55, (this, spanId), static (chars, state) =>
        {
            var (context, span) = state;
            "00-".CopyTo(chars);
            context.TraceIdHigh.TryFormat(chars[3..19], out _, "x16", CultureInfo.InvariantCulture);
            context.TraceIdLow.TryFormat(chars[19..35], out _, "x16", CultureInfo.InvariantCulture);
            chars[35] = '-';
            span.TryFormat(chars[36..52], out _, "x16", CultureInfo.InvariantCulture);
            chars[52] = '-';
            chars[53] = '0';
            chars[54] = context.Sampled ? '1' : '0';
        });

    private static bool TryTraceId(ReadOnlySpan<char> text, out ulong high, out ulong low)
    {
        high = 0;
        low = 0;
        return text.Length switch
        {
            16 => TryHex(text, out low),
            32 => TryHex(text[..16], out high) && TryHex(text[16..], out low),
            _ => false,
        };
    }

    private static bool TryHex(ReadOnlySpan<char> text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
}
