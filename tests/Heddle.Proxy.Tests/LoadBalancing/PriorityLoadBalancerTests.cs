using Heddle.Discovery.V1;
using Heddle.Proxy.LoadBalancing;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Tests.LoadBalancing;

public sealed class PriorityLoadBalancerTests
{
    private static UpstreamEndpoint[] Endpoints(params int[] priorities) =>
        priorities.Select((p, i) => new UpstreamEndpoint($"10.0.0.{i + 1}", 8080, null, 0, UpstreamProtocol.Http1) { Priority = p }).ToArray();

    private static ILoadBalancer Balancer(UpstreamEndpoint[] endpoints) =>
        LoadBalancerFactory.Create(new Cluster { Name = "c", LoadBalancer = LoadBalancerPolicy.LoadBalancerRoundRobin }, endpoints, new Random(11));

    [Fact]
    public void Pick_FirstLevelHealthy_TakesEverything()
    {
        var endpoints = Endpoints(0, 0, 1);
        var balancer = Balancer(endpoints);

        Assert.IsType<PriorityLoadBalancer>(balancer);
        Assert.All(Enumerable.Range(0, 200), _ => Assert.NotSame(endpoints[2], balancer.Pick()));
    }

    [Fact]
    public void Pick_HalfOfFirstLevelEjected_SeventyThirtySplit()
    {
        // 1 of 2 healthy is 50% × 1.4 = 70% for level 0; level 1 takes the other 30%.
        var endpoints = Endpoints(0, 0, 1);
        endpoints[0].SetEjected(true);
        var balancer = Balancer(endpoints);

        var second = Enumerable.Range(0, 1000).Count(_ => balancer.Pick() == endpoints[2]);

        Assert.InRange(second, 250, 350);
    }

    [Fact]
    public void Pick_FirstLevelAllEjected_NextLevelTakesEverything()
    {
        var endpoints = Endpoints(0, 1, 1);
        endpoints[0].SetEjected(true);
        var balancer = Balancer(endpoints);

        Assert.All(Enumerable.Range(0, 200), _ => Assert.NotSame(endpoints[0], balancer.Pick()));
    }

    [Fact]
    public void Pick_DoesNotAllocate()
    {
        var endpoints = Endpoints(0, 0, 1, 2);
        endpoints[0].SetEjected(true);
        var balancer = Balancer(endpoints);
        balancer.Pick();
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            balancer.Pick();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

public sealed class LocalityWeightedLoadBalancerTests
{
    private static UpstreamEndpoint Endpoint(int i, string locality, uint weight) =>
        new($"10.0.0.{i}", 8080, null, 0, UpstreamProtocol.Http1) { Locality = locality, LocalityWeight = weight };

    [Fact]
    public void Pick_Distribute_EightyTwentyAndNoneForUnweighted()
    {
        UpstreamEndpoint[] endpoints = [Endpoint(1, "us-west/a", 80), Endpoint(2, "eu-west/a", 20), Endpoint(3, "us-east/a", 0)];
        var balancer = LoadBalancerFactory.Create(new Cluster { Name = "c" }, endpoints, new Random(5));

        var picks = Enumerable.Range(0, 1000).Select(_ => balancer.Pick()).ToList();

        Assert.IsType<LocalityWeightedLoadBalancer>(balancer);
        Assert.DoesNotContain(endpoints[2], picks);
        Assert.InRange(picks.Count(p => p == endpoints[1]), 150, 250);
    }

    [Fact]
    public void Pick_LocalityAllEjected_OthersTakeItsShare()
    {
        UpstreamEndpoint[] endpoints = [Endpoint(1, "us-west/a", 80), Endpoint(2, "eu-west/a", 20)];
        endpoints[0].SetEjected(true);
        var balancer = LoadBalancerFactory.Create(new Cluster { Name = "c" }, endpoints, new Random(5));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Same(endpoints[1], balancer.Pick()));
    }
}
