using Heddle.Discovery.V1;
using Heddle.Proxy.Resilience;
using Heddle.Proxy.Upstreams;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Proxy.Tests.Resilience;

public sealed class OutlierDetectorTests
{
    private readonly FakeTimeProvider _time = new();

    private static UpstreamEndpoint[] Endpoints(int count) =>
        Enumerable.Range(1, count).Select(i => new UpstreamEndpoint($"10.0.0.{i}", 8080, null, 0, UpstreamProtocol.Http1)).ToArray();

    private static OutlierDetectionPolicy Policy(uint consecutive5xx = 3, uint gateway = 0, uint maxEjectionPercent = 100, uint minHealthPercent = 0) => new()
    {
        Consecutive5XxErrors = consecutive5xx,
        ConsecutiveGatewayErrors = gateway,
        IntervalMs = 1000,
        BaseEjectionTimeMs = 30_000,
        MaxEjectionPercent = maxEjectionPercent,
        MinHealthPercent = minHealthPercent,
    };

    [Fact]
    public void Report_Consecutive5xxReachThreshold_EndpointEjectedAtOnce()
    {
        var endpoints = Endpoints(2);
        using var detector = new OutlierDetector(Policy(), endpoints, _time);

        detector.Report(endpoints[0], 500, localFailure: false);
        detector.Report(endpoints[0], 503, localFailure: false);
        Assert.False(endpoints[0].IsEjected);
        detector.Report(endpoints[0], 500, localFailure: false);

        Assert.True(endpoints[0].IsEjected);
        Assert.False(endpoints[1].IsEjected);
    }

    [Fact]
    public void Report_SuccessInBetween_ResetsTheCount()
    {
        var endpoints = Endpoints(2);
        using var detector = new OutlierDetector(Policy(), endpoints, _time);

        detector.Report(endpoints[0], 500, false);
        detector.Report(endpoints[0], 500, false);
        detector.Report(endpoints[0], 200, false);
        detector.Report(endpoints[0], 500, false);
        detector.Report(endpoints[0], 500, false);

        Assert.False(endpoints[0].IsEjected);
    }

    [Fact]
    public void Report_GatewayErrorsOnly_500DoesNotCountButConnectFailureDoes()
    {
        var endpoints = Endpoints(2);
        using var detector = new OutlierDetector(Policy(consecutive5xx: 0, gateway: 2), endpoints, _time);

        detector.Report(endpoints[0], 500, false);
        detector.Report(endpoints[0], 500, false);
        Assert.False(endpoints[0].IsEjected);

        detector.Report(endpoints[0], 502, false);
        detector.Report(endpoints[0], 0, localFailure: true);
        Assert.True(endpoints[0].IsEjected);
    }

    [Fact]
    public void Sweep_EjectionTimeGrowsWithEachEjection()
    {
        var endpoints = Endpoints(2);
        using var detector = new OutlierDetector(Policy(consecutive5xx: 1), endpoints, _time);

        detector.Report(endpoints[0], 500, false);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(endpoints[0].IsEjected);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(endpoints[0].IsEjected);

        // Second ejection right away: 2 × 30 s.
        detector.Report(endpoints[0], 500, false);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(endpoints[0].IsEjected);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(endpoints[0].IsEjected);
    }

    [Fact]
    public void Report_MaxEjectionPercent_CapsEjectionsButAlwaysAllowsOne()
    {
        var endpoints = Endpoints(4);
        using var detector = new OutlierDetector(Policy(consecutive5xx: 1, maxEjectionPercent: 10), endpoints, _time);

        foreach (var endpoint in endpoints)
        {
            detector.Report(endpoint, 500, false);
        }

        Assert.Equal(1, endpoints.Count(e => e.IsEjected));
    }

    [Fact]
    public void Report_BelowMinHealthPercent_EjectionsIgnored()
    {
        var endpoints = Endpoints(2);
        using var detector = new OutlierDetector(Policy(consecutive5xx: 1, minHealthPercent: 60), endpoints, _time);

        detector.Report(endpoints[0], 500, false);

        Assert.Equal(1, detector.EjectedCount);
        Assert.False(endpoints[0].IsEjected);
    }

    [Fact]
    public void Report_Success_DoesNotAllocate()
    {
        var endpoints = Endpoints(2);
        using var detector = new OutlierDetector(Policy(), endpoints, _time);
        detector.Report(endpoints[0], 200, false);
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            detector.Report(endpoints[i % 2], i % 3 == 0 ? 500 : 200, false);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
