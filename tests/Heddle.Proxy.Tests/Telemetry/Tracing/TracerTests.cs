using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Telemetry.Tracing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heddle.Proxy.Tests.Telemetry.Tracing;

public sealed class TracerTests : IDisposable
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpan = "00f067aa0ba902b7";

    private static readonly WorkloadPeer Local = new("web-v1", "default", "web", "v1", "web", "Kubernetes");

    // Never contacted: spans are only queued in these tests.
    private readonly OtlpSpanExporter _exporter = new(new Uri("http://127.0.0.1:9"), Local, NullLogger.Instance);

    public void Dispose() => _exporter.Dispose();

    [Fact]
    public void TryParseTraceParent_W3CExample_ReadsIdsAndSampledFlag()
    {
        Assert.True(TraceContext.TryParseTraceParent($"00-{TraceId}-{CallerSpan}-01", out var context));

        Assert.Equal(TraceId, context.TraceIdHex);
        Assert.Equal(CallerSpan, TraceContext.Hex(context.SpanId));
        Assert.True(context.Sampled);
    }

    [Theory]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")]
    [InlineData("garbage")]
    public void TryParseTraceParent_Invalid_False(string value)
    {
        Assert.False(TraceContext.TryParseTraceParent(value, out _));
    }

    [Fact]
    public void TryParseB3Single_WithParent_ReadsTraceSpanAndSampling()
    {
        Assert.True(TraceContext.TryParseB3Single($"{TraceId}-{CallerSpan}-0-05e3ac9a4f6e3b90", out var context));

        Assert.Equal(TraceId, context.TraceIdHex);
        Assert.Equal(CallerSpan, TraceContext.Hex(context.SpanId));
        Assert.False(context.Sampled);
    }

    [Fact]
    public void Start_WithoutCollector_LeavesHeadersAlone()
    {
        var tracer = new Tracer(null, 100, Local, "web-v1-0.default", TimeProvider.System, new Random(1));
        var context = new DefaultHttpContext();

        tracer.Start(context, inbound: false);

        Assert.False(context.Request.Headers.ContainsKey(TraceContext.TraceParent));
        Assert.Null(context.Features.Get<ActiveSpan>());
    }

    [Fact]
    public void Start_NoTraceAndZeroSampling_StartsUnsampledTraceWithoutSpan()
    {
        var tracer = new Tracer(_exporter, 0, Local, "web-v1-0.default", TimeProvider.System, new Random(1));
        var context = new DefaultHttpContext();

        tracer.Start(context, inbound: false);

        Assert.True(TraceContext.TryParseTraceParent(context.Request.Headers[TraceContext.TraceParent].ToString(), out var started));
        Assert.False(started.Sampled);
        Assert.Null(context.Features.Get<ActiveSpan>());
    }

    [Fact]
    public void Start_SampledCaller_ContinuesTraceUnderCallerAndUpdatesB3()
    {
        var tracer = new Tracer(_exporter, 0, Local, "web-v1-0.default", TimeProvider.System, new Random(1));
        var context = new DefaultHttpContext();
        var headers = context.Request.Headers;
        headers[TraceContext.TraceParent] = $"00-{TraceId}-{CallerSpan}-01";
        headers[TraceContext.B3TraceId] = TraceId;
        headers[TraceContext.B3SpanId] = CallerSpan;
        headers[TraceContext.B3Sampled] = "1";

        tracer.Start(context, inbound: true);

        Assert.True(TraceContext.TryParseTraceParent(headers[TraceContext.TraceParent].ToString(), out var forwarded));
        Assert.Equal(TraceId, forwarded.TraceIdHex);
        Assert.NotEqual(CallerSpan, TraceContext.Hex(forwarded.SpanId));
        Assert.True(forwarded.Sampled);
        var span = Assert.IsType<ActiveSpan>(context.Features.Get<ActiveSpan>());
        Assert.Equal(CallerSpan, TraceContext.Hex(span.ParentSpanId));
        Assert.Equal(Heddle.Proxy.Telemetry.Tracing.Otlp.Span.Types.SpanKind.Server, span.Kind);
        Assert.Equal(TraceId, headers[TraceContext.B3TraceId].ToString());
        Assert.Equal(TraceContext.Hex(forwarded.SpanId), headers[TraceContext.B3SpanId].ToString());
        Assert.Equal(CallerSpan, headers[TraceContext.B3ParentSpanId].ToString());
    }
}
