using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.LoadBalancing;
using Heddle.Proxy.LoadBalancing.ConsistentHash;
using Heddle.Proxy.Tests.Infrastructure;
using Heddle.Proxy.Upstreams;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Upstreams;

public sealed class UpstreamClusterTests
{
    private static readonly string Name = ClusterName("web", 8000);

    private static Resource WithPolicies(Action<Cluster> configure)
    {
        var resource = Cluster(Name, Endpoint("10.0.0.1", 8080), Endpoint("10.0.0.2", 8080));
        configure(resource.Cluster);
        return resource;
    }

    private static UpstreamCluster Build(string version, ProxySnapshot previous, Resource cluster, out ProxySnapshot snapshot)
    {
        snapshot = TestSnapshots.Build(version, previous, new Random(1), cluster, VirtualHost("web", 8000, Route(Name)));
        return snapshot.Clusters[Name];
    }

    private static readonly ConnectionPoolLimits Limits = new() { MaxConnections = 1, Http1MaxPendingRequests = 1, ConnectTimeoutMs = 250 };

    private static readonly OutlierDetectionPolicy Outlier = new() { Consecutive5XxErrors = 1, IntervalMs = 1000, BaseEjectionTimeMs = 30_000, MaxEjectionPercent = 100 };

    [Fact]
    public void Create_Policies_BreakerDetectorOwnPoolsAndHashBalancer()
    {
        var cluster = Build("1", ProxySnapshot.Empty, WithPolicies(c =>
        {
            c.ConnectionPool = Limits;
            c.OutlierDetection = Outlier;
            c.ConsistentHash = new ConsistentHashPolicy { HeaderName = "x-user", TableSize = 64 };
        }), out _);

        Assert.NotNull(cluster.CircuitBreaker);
        Assert.NotNull(cluster.OutlierDetector);
        Assert.Equal(TimeSpan.FromMilliseconds(250), cluster.Connections!.ConnectTimeout);
        Assert.IsType<ConsistentHashLoadBalancer>(cluster.LoadBalancer);
    }

    [Fact]
    public void Create_NoPolicies_SharedPoolsNoBreakerNoDetector()
    {
        var cluster = Build("1", ProxySnapshot.Empty, WithPolicies(_ => { }), out _);

        Assert.Null(cluster.CircuitBreaker);
        Assert.Null(cluster.OutlierDetector);
        Assert.Null(cluster.Connections);
        Assert.IsType<RoundRobinLoadBalancer>(cluster.LoadBalancer);
    }

    [Fact]
    public void Create_UnrelatedChange_KeepsBreakerDetectorPoolsAndEjections()
    {
        var first = Build("1", ProxySnapshot.Empty, WithPolicies(c => { c.ConnectionPool = Limits; c.OutlierDetection = Outlier; }), out var snapshot);
        first.OutlierDetector!.Report(first.Endpoints[0], 500, localFailure: false);

        var labelled = WithPolicies(c => { c.ConnectionPool = Limits; c.OutlierDetection = Outlier; });
        labelled.Cluster.Endpoints[0].Labels.Add("version", "v1");
        var second = Build("2", snapshot, labelled, out _);

        Assert.Same(first.CircuitBreaker, second.CircuitBreaker);
        Assert.Same(first.OutlierDetector, second.OutlierDetector);
        Assert.Same(first.Connections, second.Connections);
        Assert.True(second.Endpoints[0].IsEjected);
    }

    [Fact]
    public void Create_PolicyChanged_NewBreakerAndBalancer()
    {
        var first = Build("1", ProxySnapshot.Empty, WithPolicies(c => { c.ConnectionPool = Limits; c.ConsistentHash = new ConsistentHashPolicy { HeaderName = "a", TableSize = 64 }; }), out var snapshot);

        var second = Build("2", snapshot, WithPolicies(c =>
        {
            c.ConnectionPool = new ConnectionPoolLimits { MaxConnections = 2 };
            c.ConsistentHash = new ConsistentHashPolicy { HeaderName = "b", TableSize = 64 };
        }), out _);

        Assert.NotSame(first.CircuitBreaker, second.CircuitBreaker);
        Assert.NotSame(first.LoadBalancer, second.LoadBalancer);
        Assert.NotSame(first.Connections, second.Connections);
    }

    [Fact]
    public void Create_OutlierDetectionTurnedOff_NothingStaysEjected()
    {
        var first = Build("1", ProxySnapshot.Empty, WithPolicies(c => c.OutlierDetection = Outlier), out var snapshot);
        first.OutlierDetector!.Report(first.Endpoints[1], 503, localFailure: false);
        Assert.True(first.Endpoints[1].IsEjected);

        var second = Build("2", snapshot, WithPolicies(_ => { }), out _);

        Assert.Null(second.OutlierDetector);
        Assert.False(second.Endpoints[1].IsEjected);
    }

    [Fact]
    public void ClusterConnections_OnlyRequestLimits_UsesSharedPools()
    {
        Assert.Null(ClusterConnections.For(new ConnectionPoolLimits { Http2MaxRequests = 10, Http1MaxPendingRequests = 1 }, null));
        Assert.Null(ClusterConnections.For(null, null));
    }
}
