using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Routing;

public sealed class WeightedClusterPickerTests
{
    private static readonly string V1 = ClusterName("web", 8000, "v1");
    private static readonly string V2 = ClusterName("web", 8000, "v2");
    private static readonly string V3 = ClusterName("web", 8000, "v3");

    [Theory]
    [InlineData(80u, 20u, 0u)]
    [InlineData(50u, 50u, 0u)]
    [InlineData(70u, 20u, 10u)]
    public void Pick_TenThousandTimes_FollowsWeightsWithinTwoPoints(uint w1, uint w2, uint w3)
    {
        var picker = TestSnapshots.Build("1", Cluster(V1), Cluster(V2), Cluster(V3),
            VirtualHost("web", 8000, WeightedRoute((V1, w1), (V2, w2), (V3, w3)))).Routes.VirtualHosts[0].Routes[0].Clusters;
        var random = new Random(42);
        var counts = new Dictionary<string, int> { [V1] = 0, [V2] = 0, [V3] = 0 };

        for (var i = 0; i < 10_000; i++)
        {
            counts[picker.Pick(random).Name]++;
        }

        Assert.InRange(counts[V1] / 100.0, w1 - 2, w1 + 2);
        Assert.InRange(counts[V2] / 100.0, w2 - 2, w2 + 2);
        Assert.InRange(counts[V3] / 100.0, w3 - 2.0, w3 + 2);
        if (w3 == 0)
        {
            Assert.Equal(0, counts[V3]);
        }
    }

    [Fact]
    public void Pick_AllWeightsZero_SpreadsEvenly()
    {
        var picker = TestSnapshots.Build("1", Cluster(V1), Cluster(V2),
            VirtualHost("web", 8000, WeightedRoute((V1, 0), (V2, 0)))).Routes.VirtualHosts[0].Routes[0].Clusters;
        var random = new Random(7);

        var v1 = Enumerable.Range(0, 10_000).Count(_ => picker.Pick(random).Name == V1);

        Assert.InRange(v1 / 100.0, 48, 52);
    }
}
