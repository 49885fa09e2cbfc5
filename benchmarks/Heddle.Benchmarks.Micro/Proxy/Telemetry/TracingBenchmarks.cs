using BenchmarkDotNet.Attributes;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Telemetry.Tracing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heddle.Benchmarks.Micro.Proxy.Telemetry;

/// <summary>
/// One hop's tracing work on the request path: reading the trace context, rewriting the forwarded headers and, when
/// sampled, building the span (its export runs on a background task and is not measured). Off: no collector.
/// </summary>
[MemoryDiagnoser]
public class TracingBenchmarks
{
    private static readonly WorkloadPeer Local = new("web-v1", "default", "web", "v1", "web", "Kubernetes");
    private static readonly ServiceTarget Service = new("web.default.svc.cluster.local", "web", "default");

    private readonly DefaultHttpContext _context = new();
    private OtlpSpanExporter _exporter = null!;
    private Tracer _off = null!;
    private Tracer _onePercent = null!;
    private Tracer _always = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Never contacted: nothing runs the export loop, so queued spans are simply dropped once the queue is full.
        _exporter = new OtlpSpanExporter(new Uri("http://127.0.0.1:9"), Local, NullLogger.Instance);
        _off = new Tracer(null, 100, Local, "web-v1-0.default", TimeProvider.System, new Random(1));
        _onePercent = new Tracer(_exporter, 1, Local, "web-v1-0.default", TimeProvider.System, new Random(1));
        _always = new Tracer(_exporter, 100, Local, "web-v1-0.default", TimeProvider.System, new Random(1));
        _context.Request.Method = "GET";
        _context.Request.Host = new HostString("web:8000");
        _context.Request.Path = "/api/items";
        _context.Request.Headers[RequestId.Header] = "7d3f1c2a-9b1e-4c55-8f0e-0d6b2b8f6a11";
    }

    [GlobalCleanup]
    public void Cleanup() => _exporter.Dispose();

    [Benchmark(Baseline = true)]
    public void Off() => Hop(_off);

    [Benchmark]
    public void Sampled1Percent() => Hop(_onePercent);

    [Benchmark]
    public void Sampled100Percent() => Hop(_always);

    private void Hop(Tracer tracer)
    {
        // Each hop starts from a request without trace headers, as a workload's first request does.
        _context.Request.Headers.Remove(TraceContext.TraceParent);
        _context.Features.Set<ActiveSpan>(null);
        tracer.Start(_context, inbound: false);
        tracer.End(_context, 200, ResponseFlags.None, Service, "outbound|8000||web.default.svc.cluster.local", "10.0.0.2:15006");
    }
}
