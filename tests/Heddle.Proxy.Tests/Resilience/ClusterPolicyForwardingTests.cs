using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Resilience;

/// <summary>
/// The request path applies a cluster's connection-pool limits and outlier detection, through real sockets: the
/// outbound handler takes a lease before forwarding (overflow: 503 UO) and reports every try's outcome.
/// </summary>
public sealed class ClusterPolicyForwardingTests : IAsyncLifetime
{
    private const int Port = 8000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private readonly string _limited = ClusterName("limited", Port);
    private readonly string _flaky = ClusterName("flaky", Port);
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private HttpUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        _upstream = await HttpUpstream.StartAsync(_net.Address(10), 8080, "web");
        var limited = Cluster(_limited, Endpoint(_upstream.Endpoint.Address.ToString(), 8080));
        limited.Cluster.ConnectionPool = new ConnectionPoolLimits { MaxConnections = 1, Http1MaxPendingRequests = 1 };
        // Nothing listens on port 1 of the second address: connecting to it fails, a gateway error.
        var flaky = Cluster(_flaky, Endpoint(_upstream.Endpoint.Address.ToString(), 8080), Endpoint(_net.Address(12).ToString(), 1));
        flaky.Cluster.OutlierDetection = new OutlierDetectionPolicy { Consecutive5XxErrors = 1, IntervalMs = 1000, BaseEjectionTimeMs = 180_000, MaxEjectionPercent = 100 };
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            limited,
            flaky,
            VirtualHost("limited", Port, Route(_limited)),
            VirtualHost("flaky", Port, WithDefaultRetries(Route(_flaky)))));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }

    [Fact]
    public async Task ConnectionPool_OneInFlightOneWaiting_ThirdRequestGets503UO()
    {
        using var http = _proxy.CreateProxiedClient();
        using var cancel = new CancellationTokenSource();
        var first = http.GetAsync($"http://limited:{Port}/slow", cancel.Token);
        var second = http.GetAsync($"http://limited:{Port}/slow", cancel.Token);
        var breaker = _proxy.Host.Snapshots.Current.Clusters[_limited].CircuitBreaker!;
        await Eventually.WaitAsync(() => breaker.Requests == 2 && breaker.Pending == 1, "one request in flight and one waiting");

        using var third = await http.GetAsync($"http://limited:{Port}/fast");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/fast"), "the access log line");
        Assert.Contains(" 503 UO ", line);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        await Eventually.WaitAsync(() => breaker.Requests == 0, "the leases to be returned");
    }

    [Fact]
    public async Task OutlierDetection_EndpointRefusesConnections_EjectedAfterOneFailure()
    {
        using var http = _proxy.CreateProxiedClient();
        for (var i = 0; i < 10; i++)
        {
            using var response = await http.GetAsync($"http://flaky:{Port}/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var cluster = _proxy.Host.Snapshots.Current.Clusters[_flaky];
        Assert.Equal(1, cluster.OutlierDetector!.EjectedCount);
        Assert.True(cluster.Endpoints[1].IsEjected);
        Assert.Equal(10, _upstream.Requests);
    }
}
