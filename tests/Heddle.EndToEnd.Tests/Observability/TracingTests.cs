using System.Net;
using Google.Protobuf;
using Heddle.EndToEnd.Tests.Support;
using Heddle.Proxy.Telemetry.Tracing.Otlp;

namespace Heddle.EndToEnd.Tests.Observability;

/// <summary>
/// Traces across three workloads (client → frontend → httpbin), exported by the sidecars over OTLP/gRPC to a receiver
/// in the test: every hop is a span, and the spans of one request form one trace whose parent links follow the path.
/// </summary>
public sealed class TracingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RequestAcrossThreeWorkloads_SpansFormOneTraceWithParentLinks()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var mesh = await LocalMesh.StartAsync(
            "tracing", "--tracing-collector", receiver.Address.ToString(), "--trace-sampling", "100");
        using var client = mesh.ClientOf("client");

        // A request without trace headers: the client's sidecar starts the trace.
        using (var response = await client.GetAsync("http://frontend/chain"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var spans = await WaitForTraceAsync(receiver.Store, s => s.Span.ParentSpanId.IsEmpty && s.Service == "client.default");
        AssertChain(spans, expectedRootParent: ByteString.Empty);
        var requestIds = spans.Select(s => Attribute(s.Span, "guid:x-request-id")).Distinct().ToArray();
        Assert.Single(requestIds);
        Assert.NotEqual("", requestIds[0]);

        // A request that arrives with a W3C trace context continues that trace, under the caller's span.
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        const string callerSpan = "00f067aa0ba902b7";
        using (var request = new HttpRequestMessage(HttpMethod.Get, "http://frontend/chain"))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var continued = await WaitForTraceAsync(receiver.Store, s => Convert.ToHexStringLower(s.Span.TraceId.ToByteArray()) == traceId);
        AssertChain(continued, expectedRootParent: ByteString.CopyFrom(Convert.FromHexString(callerSpan)));
    }

    /// <summary>Waits for the 4 spans of the trace whose root matches <paramref name="root"/>, in path order.</summary>
    private static async Task<(string Service, Span Span)[]> WaitForTraceAsync(SpanStore store, Func<(string Service, Span Span), bool> root)
    {
        (string Service, Span Span)[] trace = [];
        await Wait.UntilAsync(
            () =>
            {
                var spans = store.Spans;
                var first = spans.FirstOrDefault(s => s.Span.Kind == Span.Types.SpanKind.Client && root(s));
                if (first.Span is null)
                {
                    return Task.FromResult(false);
                }

                trace = spans.Where(s => s.Span.TraceId == first.Span.TraceId).ToArray();
                return Task.FromResult(trace.Length == 4);
            },
            Deadline,
            "the 4 spans of a request across client, frontend and httpbin");

        // Order by parent links, starting at the span whose parent is not in the trace.
        var ordered = new List<(string Service, Span Span)>();
        var current = trace.Single(s => trace.All(o => o.Span.SpanId != s.Span.ParentSpanId));
        ordered.Add(current);
        while (ordered.Count < trace.Length)
        {
            current = trace.Single(s => s.Span.ParentSpanId == current.Span.SpanId);
            ordered.Add(current);
        }

        return ordered.ToArray();
    }

    private static void AssertChain((string Service, Span Span)[] spans, ByteString expectedRootParent)
    {
        Assert.Equal(
            new[]
            {
                ("client.default", Span.Types.SpanKind.Client),
                ("frontend.default", Span.Types.SpanKind.Server),
                ("frontend.default", Span.Types.SpanKind.Client),
                ("httpbin.default", Span.Types.SpanKind.Server),
            },
            spans.Select(s => (s.Service, s.Span.Kind)).ToArray());
        Assert.Equal(expectedRootParent, spans[0].Span.ParentSpanId);
        Assert.Equal("frontend.default.svc.cluster.local:80/*", spans[0].Span.Name);
        Assert.Equal("httpbin.default.svc.cluster.local:8000/*", spans[3].Span.Name);
        Assert.Equal("200", Attribute(spans[3].Span, "http.status_code"));
        Assert.Equal("outbound|8000||httpbin.default.svc.cluster.local", Attribute(spans[2].Span, "upstream_cluster"));
        Assert.All(spans, s => Assert.True(s.Span.EndTimeUnixNano >= s.Span.StartTimeUnixNano));
    }

    private static string Attribute(Span span, string key) =>
        span.Attributes.FirstOrDefault(a => a.Key == key)?.Value.StringValue ?? "";
}
