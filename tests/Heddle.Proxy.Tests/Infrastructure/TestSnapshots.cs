using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>Builds snapshots directly from resources, for unit tests of routing, load balancing and validation.</summary>
internal static class TestSnapshots
{
    public static ProxySnapshot Build(string version, params Resource[] resources) =>
        Build(version, ProxySnapshot.Empty, new Random(1), resources);

    public static ProxySnapshot Build(string version, ProxySnapshot previous, Random random, params Resource[] resources)
    {
        var byName = resources.ToDictionary(r => r.Name);
        Assert.True(SnapshotBuilder.TryBuild(version, byName, previous, random, out var snapshot, out var reason), reason);
        return snapshot;
    }

    public static string Reject(params Resource[] resources)
    {
        var byName = resources.ToDictionary(r => r.Name);
        Assert.False(SnapshotBuilder.TryBuild("bad", byName, ProxySnapshot.Empty, new Random(1), out _, out var reason));
        return reason;
    }
}
