using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using PrometheusNet = Prometheus;

namespace Heddle.Benchmarks.Micro.Proxy.Telemetry;

/// <summary>
/// The cost of recording one request's Istio metrics (a counter and three histograms, 21 labels) in the proxy's own
/// registry, against System.Diagnostics.Metrics aggregated by the OpenTelemetry SDK (what its Prometheus exporter
/// reads) and against prometheus-net.
/// </summary>
[MemoryDiagnoser]
public class RequestMetricsBenchmarks
{
    private static readonly string[] LabelNames =
    [
        "reporter", "source_workload", "source_workload_namespace", "source_principal", "source_app", "source_version",
        "source_cluster", "destination_workload", "destination_workload_namespace", "destination_principal",
        "destination_app", "destination_version", "destination_service", "destination_service_name",
        "destination_service_namespace", "destination_cluster", "request_protocol", "response_code",
        "grpc_response_status", "response_flags", "connection_security_policy",
    ];

    private static readonly string[] LabelValues =
    [
        "source", "client", "default", "unknown", "client", "v1", "Kubernetes", "web-v1", "default", "unknown", "web",
        "v1", "web.default.svc.cluster.local", "web", "default", "Kubernetes", "http", "200", "", "-", "unknown",
    ];

    private readonly WorkloadPeer _client = new("client", "default", "client", "v1", "client", "Kubernetes");
    private readonly WorkloadPeer _web = new("web-v1", "default", "web", "v1", "web", "Kubernetes");
    private readonly ServiceTarget _service = new("web.default.svc.cluster.local", "web", "default");
    private readonly ProxyMetrics _own = new();

    private Meter _meter = null!;
    private MeterProvider _provider = null!;
    private Counter<long> _otelRequests = null!;
    private Histogram<double> _otelDuration = null!;
    private Histogram<long> _otelRequestBytes = null!;
    private Histogram<long> _otelResponseBytes = null!;

    private PrometheusNet.Counter _promRequests = null!;
    private PrometheusNet.Histogram _promDuration = null!;
    private PrometheusNet.Histogram _promRequestBytes = null!;
    private PrometheusNet.Histogram _promResponseBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _meter = new Meter("heddle.benchmark");
        _otelRequests = _meter.CreateCounter<long>("istio_requests_total");
        _otelDuration = _meter.CreateHistogram<double>("istio_request_duration_milliseconds");
        _otelRequestBytes = _meter.CreateHistogram<long>("istio_request_bytes");
        _otelResponseBytes = _meter.CreateHistogram<long>("istio_response_bytes");
        var exported = new List<Metric>();
        var bounds = Histogram.Bounds;
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter("heddle.benchmark")
            .AddView("istio_request_duration_milliseconds", new ExplicitBucketHistogramConfiguration { Boundaries = bounds })
            .AddView("istio_request_bytes", new ExplicitBucketHistogramConfiguration { Boundaries = bounds })
            .AddView("istio_response_bytes", new ExplicitBucketHistogramConfiguration { Boundaries = bounds })
            .AddInMemoryExporter(exported)
            .Build()!;

        var registry = PrometheusNet.Metrics.NewCustomRegistry();
        var factory = PrometheusNet.Metrics.WithCustomRegistry(registry);
        _promRequests = factory.CreateCounter("istio_requests_total", "requests", LabelNames);
        var histogram = new PrometheusNet.HistogramConfiguration { LabelNames = LabelNames, Buckets = bounds };
        _promDuration = factory.CreateHistogram("istio_request_duration_milliseconds", "duration", histogram);
        _promRequestBytes = factory.CreateHistogram("istio_request_bytes", "request bytes", histogram);
        _promResponseBytes = factory.CreateHistogram("istio_response_bytes", "response bytes", histogram);

        Own();
        DiagnosticsMetricsWithOpenTelemetry();
        PrometheusNetWithLabels();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _meter.Dispose();
    }

    /// <summary>The proxy's registry: a struct key of shared peer and service instances, one lookup, interlocked adds.</summary>
    [Benchmark(Baseline = true)]
    public void Own() =>
        _own.RecordRequest(
            new HttpSeriesKey(Reporter.Source, _client, _web, _service, RequestProtocol.Http, 200, -1, ResponseFlags.None, SecurityPolicy.Unknown),
            TimeSpan.FromTicks(31_000),
            0,
            1024);

    /// <summary>System.Diagnostics.Metrics instruments, aggregated by the OpenTelemetry SDK: the tags are built per request.</summary>
    [Benchmark]
    public void DiagnosticsMetricsWithOpenTelemetry()
    {
        var tags = default(TagList);
        for (var i = 0; i < LabelNames.Length; i++)
        {
            tags.Add(LabelNames[i], LabelValues[i]);
        }

        _otelRequests.Add(1, tags);
        _otelDuration.Record(3.1, tags);
        _otelRequestBytes.Record(0, tags);
        _otelResponseBytes.Record(1024, tags);
    }

    /// <summary>prometheus-net: the label values are looked up per request.</summary>
    [Benchmark]
    public void PrometheusNetWithLabels()
    {
        _promRequests.WithLabels(LabelValues).Inc();
        _promDuration.WithLabels(LabelValues).Observe(3.1);
        _promRequestBytes.WithLabels(LabelValues).Observe(0);
        _promResponseBytes.WithLabels(LabelValues).Observe(1024);
    }
}
