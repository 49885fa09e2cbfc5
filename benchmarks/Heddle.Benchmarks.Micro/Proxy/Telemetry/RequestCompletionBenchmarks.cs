using BenchmarkDotNet.Attributes;
using Heddle.Discovery;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Telemetry.Tracing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heddle.Benchmarks.Micro.Proxy.Telemetry;

/// <summary>
/// The telemetry work at the end of one inbound request (<see cref="RequestCompletion"/>), plus the tracer's start of
/// the hop, with telemetry off (nothing done), metrics only (the proxy's default without <c>--tracing-collector</c>
/// and with the access log off), metrics and access log (the request path queues the entry; a background task formats
/// and writes it to a null stream), and metrics with tracing at 1% and 100% (spans queued for export, not sent).
/// </summary>
[MemoryDiagnoser]
public class RequestCompletionBenchmarks
{
    private static readonly WorkloadPeer Local = new("httpbin", "default", "httpbin", "v1", "httpbin", "Kubernetes");

    private readonly DefaultHttpContext _context = new();
    private readonly CancellationTokenSource _stop = new();
    private OtlpSpanExporter _exporter = null!;
    private Tracer _noTracer = null!;
    private Tracer _onePercent = null!;
    private Tracer _always = null!;
    private RequestCompletion _metrics = null!;
    private RequestCompletion _metricsAndAccessLog = null!;
    private RequestCompletion _metricsAndTracing1 = null!;
    private RequestCompletion _metricsAndTracing100 = null!;
    private Task _accessLogWriter = Task.CompletedTask;

    [GlobalSetup]
    public void Setup()
    {
        var telemetry = new MeshTelemetry(Local, new ProxyMetrics());
        _exporter = new OtlpSpanExporter(new Uri("http://127.0.0.1:9"), Local, NullLogger.Instance);
        _noTracer = new Tracer(null, 1, Local, "httpbin-0.default", TimeProvider.System, new Random(1));
        _onePercent = new Tracer(_exporter, 1, Local, "httpbin-0.default", TimeProvider.System, new Random(1));
        _always = new Tracer(_exporter, 100, Local, "httpbin-0.default", TimeProvider.System, new Random(1));
        var off = new AccessLog(enabled: false, Stream.Null, NullLogger.Instance);
        var on = new AccessLog(enabled: true, Stream.Null, NullLogger.Instance);
        _accessLogWriter = on.RunAsync(_stop.Token);
        _metrics = new RequestCompletion(telemetry, _noTracer, off, TimeProvider.System);
        _metricsAndAccessLog = new RequestCompletion(telemetry, _noTracer, on, TimeProvider.System);
        _metricsAndTracing1 = new RequestCompletion(telemetry, _onePercent, off, TimeProvider.System);
        _metricsAndTracing100 = new RequestCompletion(telemetry, _always, off, TimeProvider.System);

        var request = _context.Request;
        request.Method = "GET";
        request.Protocol = "HTTP/2";
        request.Host = new HostString("httpbin:8000");
        request.Path = "/get";
        request.Headers[RequestId.Header] = "7d3f1c2a-9b1e-4c55-8f0e-0d6b2b8f6a11";
        request.Headers.UserAgent = "curl/8.5.0";
        request.Headers[MeshHeaders.PeerMetadata] = "";
        _context.Response.StatusCode = 200;
        _context.Response.ContentLength = 512;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _accessLogWriter.GetAwaiter().GetResult();
        _exporter.Dispose();
        _stop.Dispose();
    }

    [Benchmark(Baseline = true)]
    public long TelemetryOff() => TimeProvider.System.GetTimestamp();

    [Benchmark]
    public void Metrics() => Complete(_metrics, _noTracer);

    [Benchmark]
    public void MetricsAndAccessLog() => Complete(_metricsAndAccessLog, _noTracer);

    [Benchmark]
    public void MetricsAndTracing1Percent() => Complete(_metricsAndTracing1, _onePercent);

    [Benchmark]
    public void MetricsAndTracing100Percent() => Complete(_metricsAndTracing100, _always);

    private void Complete(RequestCompletion completion, Tracer tracer)
    {
        _context.Request.Headers.Remove(TraceContext.TraceParent);
        _context.Features.Set<ActiveSpan>(null);
        var started = TimeProvider.System.GetTimestamp();
        tracer.Start(_context, inbound: true);
        completion.Inbound(_context, started, ResponseFlags.None, target: null);
    }
}
