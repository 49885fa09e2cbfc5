using BenchmarkDotNet.Attributes;
using Heddle.Discovery.V1;
using Heddle.Proxy.Resilience;
using Heddle.Proxy.Upstreams;

namespace Heddle.Benchmarks.Micro.Proxy.Resilience;

/// <summary>What the connection-pool limits and outlier detection add to a request that is admitted and succeeds:
/// take and return a circuit-breaker lease, report the outcome.</summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private CircuitBreaker _breaker = null!;
    private OutlierDetector _detector = null!;
    private UpstreamEndpoint _endpoint = null!;

    [GlobalSetup]
    public void Setup()
    {
        _breaker = new CircuitBreaker(new ConnectionPoolLimits { MaxConnections = 100, Http1MaxPendingRequests = 100, Http2MaxRequests = 1000 }, http1: true);
        _endpoint = new UpstreamEndpoint("10.0.0.1", 8080, "10.0.0.1:15006", 1, UpstreamProtocol.Http1);
        _detector = new OutlierDetector(new OutlierDetectionPolicy { Consecutive5XxErrors = 5, IntervalMs = 10_000, BaseEjectionTimeMs = 30_000, MaxEjectionPercent = 10 }, [_endpoint], TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup() => _detector.Dispose();

    [Benchmark(Baseline = true)]
    public bool Admission()
    {
        var lease = _breaker.LeaseAsync(CancellationToken.None);
        using var admitted = lease.GetAwaiter().GetResult();
        return admitted.Admitted;
    }

    [Benchmark]
    public void OutlierReport() => _detector.Report(_endpoint, 200, localFailure: false);

    [Benchmark]
    public bool AdmissionAndReport()
    {
        var lease = _breaker.LeaseAsync(CancellationToken.None);
        using var admitted = lease.GetAwaiter().GetResult();
        _detector.Report(_endpoint, 200, localFailure: false);
        return admitted.Admitted;
    }
}
