using Heddle.Discovery.V1;
using Heddle.Proxy.LoadBalancing;
using Heddle.Proxy.Tests.Infrastructure;
using Heddle.Proxy.Upstreams;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.LoadBalancing;

public sealed class LoadBalancerTests
{
    private static UpstreamEndpoint[] Endpoints(int count) =>
        Enumerable.Range(1, count).Select(i => new UpstreamEndpoint($"10.0.0.{i}", 8080, null, 0, UpstreamProtocol.Http1)).ToArray();

    [Fact]
    public void RoundRobin_TakesEndpointsInTurn()
    {
        var endpoints = Endpoints(3);
        var balancer = new RoundRobinLoadBalancer(endpoints, new Random(3));

        var picks = Enumerable.Range(0, 9).Select(_ => balancer.Pick()!).ToArray();

        for (var i = 3; i < picks.Length; i++)
        {
            Assert.Same(picks[i - 3], picks[i]);
        }

        Assert.Equal(3, picks.Take(3).Distinct().Count());
    }

    [Fact]
    public void RoundRobin_NoEndpoints_PicksNothing()
    {
        Assert.Null(new RoundRobinLoadBalancer([], new Random(1)).Pick());
    }

    [Fact]
    public void RoundRobin_Pick_DoesNotAllocate()
    {
        var balancer = new RoundRobinLoadBalancer(Endpoints(3), new Random(1));
        balancer.Pick();
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            balancer.Pick();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LeastRequest_PrefersTheLessBusyOfTwo()
    {
        var endpoints = Endpoints(2);
        endpoints[0].OnRequestStarted();
        endpoints[0].OnRequestStarted();
        var balancer = new LeastRequestLoadBalancer(endpoints, new Random(5));

        Assert.All(Enumerable.Range(0, 20), _ => Assert.Same(endpoints[1], balancer.Pick()));
    }

    [Fact]
    public void Random_SpreadsOverAllEndpoints()
    {
        var endpoints = Endpoints(4);
        var balancer = new RandomLoadBalancer(endpoints, new Random(9));

        var seen = Enumerable.Range(0, 400).Select(_ => balancer.Pick()).Distinct().Count();

        Assert.Equal(4, seen);
    }

    [Theory]
    [InlineData(LoadBalancerPolicy.LoadBalancerRoundRobin, typeof(RoundRobinLoadBalancer))]
    [InlineData(LoadBalancerPolicy.LoadBalancerLeastRequest, typeof(LeastRequestLoadBalancer))]
    [InlineData(LoadBalancerPolicy.LoadBalancerRandom, typeof(RandomLoadBalancer))]
    public void Factory_ChoosesThePolicyTheClusterNames(LoadBalancerPolicy policy, Type expected)
    {
        Assert.IsType(expected, LoadBalancerFactory.Create(policy, Endpoints(2), new Random(1)));
    }

    [Fact]
    public void RoundRobinState_SurvivesSnapshotSwap_WhenEndpointsAreUnchanged()
    {
        var name = ClusterName("web", 8000);
        var cluster = Cluster(name, Endpoint("10.0.0.1", 8080), Endpoint("10.0.0.2", 8080), Endpoint("10.0.0.3", 8080));
        var first = TestSnapshots.Build("1", cluster, VirtualHost("web", 8000, Route(name)));
        var balancer = first.Clusters[name].LoadBalancer;
        var picked = balancer.Pick();

        var sameEndpoints = cluster.Clone();
        sameEndpoints.Cluster.Endpoints[0].Labels.Add("version", "v1");
        var second = TestSnapshots.Build("2", first, new Random(2), sameEndpoints, VirtualHost("web", 8000, Route(name, UriPrefix("/"))));
        var third = TestSnapshots.Build("3", second, new Random(3),
            Cluster(name, Endpoint("10.0.0.1", 8080), Endpoint("10.0.0.4", 8080)), VirtualHost("web", 8000, Route(name)));

        Assert.Same(balancer, second.Clusters[name].LoadBalancer);
        Assert.NotSame(picked, second.Clusters[name].LoadBalancer.Pick());
        Assert.NotSame(balancer, third.Clusters[name].LoadBalancer);
        Assert.Same(second.Clusters[name], second.Routes.VirtualHosts[0].Routes[0].Clusters.Clusters[0]);
    }
}
