using Heddle.Proxy.Telemetry.Tracing.Otlp;

namespace Heddle.Proxy.Telemetry.Tracing;

/// <summary>The span of a sampled request while it is in flight, kept on the request's features until it completes.</summary>
internal sealed class ActiveSpan(TraceContext context, ulong parentSpanId, Span.Types.SpanKind kind, long startUnixNanos, string? traceState)
{
    public TraceContext Context { get; } = context;

    /// <summary>The caller's span, 0 for a trace this proxy started.</summary>
    public ulong ParentSpanId { get; } = parentSpanId;

    public Span.Types.SpanKind Kind { get; } = kind;

    public long StartUnixNanos { get; } = startUnixNanos;

    public string? TraceState { get; } = traceState;
}
