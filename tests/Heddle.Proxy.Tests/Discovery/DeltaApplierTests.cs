using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Discovery;

public sealed class DeltaApplierTests
{
    private static readonly string A = ClusterName("a", 80);
    private static readonly string B = ClusterName("b", 80);

    private static readonly ProxySnapshot Current = TestSnapshots.Build("1", Cluster(A), Cluster(B), VirtualHost("a", 80, Route(A)));

    [Fact]
    public void Full_ReplacesEverything()
    {
        Assert.True(DeltaApplier.TryApply(Current, Full("2", Cluster(B)), out var resources, out _));

        Assert.Equal(["cluster/" + B], resources.Keys);
    }

    [Fact]
    public void Delta_UpsertsAndRemovesOnTopOfServedVersion()
    {
        var delta = Delta("2", "1", [Cluster(A, Endpoint("10.0.0.1", 80))], "cluster/" + B);

        Assert.True(DeltaApplier.TryApply(Current, delta, out var resources, out _));

        Assert.Equal(2, resources.Count);
        Assert.Single(resources["cluster/" + A].Cluster.Endpoints);
        Assert.True(resources.ContainsKey("vhost/a.default.svc.cluster.local:80"));
        Assert.Equal(3, Current.Resources.Count);
    }

    [Fact]
    public void Delta_OnAnotherVersion_IsRejected()
    {
        Assert.False(DeltaApplier.TryApply(Current, Delta("3", "2", []), out _, out var reason));

        Assert.Equal("version 3 is a delta on version '2', but the proxy serves version '1'", reason);
    }

    [Fact]
    public void ResourceNamedTwice_IsRejected()
    {
        Assert.False(DeltaApplier.TryApply(Current, Delta("2", "1", [Cluster(A)], "cluster/" + A), out _, out var reason));

        Assert.Equal($"resource 'cluster/{A}' is named twice in version 2", reason);
    }

    [Fact]
    public void ResponseWithoutVersion_IsRejected()
    {
        Assert.False(DeltaApplier.TryApply(Current, new DiscoveryResponse(), out _, out var reason));

        Assert.Equal("the response has no version", reason);
    }
}
