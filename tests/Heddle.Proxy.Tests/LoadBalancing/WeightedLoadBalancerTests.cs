using Heddle.Discovery.V1;
using Heddle.Proxy.LoadBalancing;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Tests.LoadBalancing;

/// <summary>Endpoint weights (WorkloadEntry and ServiceEntry endpoint <c>weight</c>) under every simple policy.</summary>
public sealed class WeightedLoadBalancerTests
{
    /// <summary>Three endpoints weighted 1, 3 and 6: 10%, 30% and 60% of the traffic.</summary>
    private static UpstreamEndpoint[] Weighted() =>
    [
        new("10.0.0.1", 8080, null, 1, UpstreamProtocol.Http1),
        new("10.0.0.2", 8080, null, 3, UpstreamProtocol.Http1),
        new("10.0.0.3", 8080, null, 6, UpstreamProtocol.Http1),
    ];

    [Theory]
    [InlineData(LoadBalancerPolicy.LoadBalancerRoundRobin, typeof(WeightedRoundRobinLoadBalancer))]
    [InlineData(LoadBalancerPolicy.LoadBalancerRandom, typeof(WeightedRandomLoadBalancer))]
    [InlineData(LoadBalancerPolicy.LoadBalancerLeastRequest, typeof(WeightedLeastRequestLoadBalancer))]
    public void Factory_DifferentWeights_ChoosesTheWeightedForm(LoadBalancerPolicy policy, Type expected)
    {
        Assert.IsType(expected, LoadBalancerFactory.Create(policy, Weighted(), new Random(1)));
    }

    [Theory]
    [InlineData(LoadBalancerPolicy.LoadBalancerRoundRobin)]
    [InlineData(LoadBalancerPolicy.LoadBalancerRandom)]
    [InlineData(LoadBalancerPolicy.LoadBalancerLeastRequest)]
    public void Pick_10000Requests_SharesFollowWeightsWithinOnePoint(LoadBalancerPolicy policy)
    {
        var endpoints = Weighted();
        var balancer = LoadBalancerFactory.Create(policy, endpoints, new Random(42));
        var counts = new int[endpoints.Length];

        for (var i = 0; i < 10_000; i++)
        {
            counts[Array.IndexOf(endpoints, balancer.Pick())]++;
        }

        Assert.InRange(counts[0], 900, 1100);
        Assert.InRange(counts[1], 2900, 3100);
        Assert.InRange(counts[2], 5900, 6100);
    }

    [Fact]
    public void RoundRobin_Schedule_SpreadsTheHeavyEndpointOut()
    {
        var endpoints = Weighted();
        var balancer = new WeightedRoundRobinLoadBalancer(endpoints, new Random(7));

        var picks = Enumerable.Range(0, 20).Select(_ => Array.IndexOf(endpoints, balancer.Pick())).ToArray();

        // Exact shares in every window of 10, and never three of the heaviest in a row beyond its share.
        for (var start = 0; start + 10 <= picks.Length; start += 10)
        {
            var window = picks.AsSpan(start, 10).ToArray();
            Assert.Equal([1, 3, 6], [window.Count(p => p == 0), window.Count(p => p == 1), window.Count(p => p == 2)]);
        }
    }

    [Fact]
    public void LeastRequest_BusyHeavyEndpoint_GivesWayToLighterOnes()
    {
        var endpoints = Weighted();
        for (var i = 0; i < 5; i++)
        {
            endpoints[2].OnRequestStarted();
        }

        var balancer = new WeightedLeastRequestLoadBalancer(endpoints, new Random(3));
        var heavy = Enumerable.Range(0, 1000).Count(_ => balancer.Pick() == endpoints[2]);

        // Only when both candidates are the heavy endpoint (36% of draws) does it still win.
        Assert.InRange(heavy, 310, 410);
    }

    [Fact]
    public void Pick_EjectedEndpoint_IsSkipped()
    {
        var endpoints = Weighted();
        endpoints[2].SetEjected(true);
        foreach (var policy in new[] { LoadBalancerPolicy.LoadBalancerRoundRobin, LoadBalancerPolicy.LoadBalancerRandom, LoadBalancerPolicy.LoadBalancerLeastRequest })
        {
            var balancer = LoadBalancerFactory.Create(policy, endpoints, new Random(5));
            Assert.All(Enumerable.Range(0, 100), _ => Assert.NotSame(endpoints[2], balancer.Pick()));
        }
    }

    [Theory]
    [InlineData(LoadBalancerPolicy.LoadBalancerRoundRobin)]
    [InlineData(LoadBalancerPolicy.LoadBalancerRandom)]
    [InlineData(LoadBalancerPolicy.LoadBalancerLeastRequest)]
    public void Pick_Weighted_DoesNotAllocate(LoadBalancerPolicy policy)
    {
        var balancer = LoadBalancerFactory.Create(policy, Weighted(), new Random(1));
        balancer.Pick();
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            balancer.Pick();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
