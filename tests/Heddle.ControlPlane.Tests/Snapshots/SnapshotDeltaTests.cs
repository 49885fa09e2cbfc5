using Heddle.ControlPlane.Snapshots;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Snapshots;

public sealed class SnapshotDeltaTests
{
    internal static SnapshotResource Cluster(string name, params string[] addresses)
    {
        var cluster = new Cluster { Name = name, Service = name };
        foreach (var address in addresses)
        {
            cluster.Endpoints.Add(new Endpoint { Address = address, Port = 8080 });
        }

        return SnapshotResource.Create(new Resource { Name = "cluster/" + name, Cluster = cluster });
    }

    [Fact]
    public void Compute_FromNothing_UpsertsEverything()
    {
        var to = ProxySnapshot.Create([Cluster("a", "10.0.0.1"), Cluster("b")]);

        var delta = SnapshotDelta.Compute(null, to);

        Assert.Equal(["cluster/a", "cluster/b"], delta.Upserted.Select(r => r.Name));
        Assert.Empty(delta.Removed);
    }

    [Fact]
    public void Compute_OneResourceChanged_UpsertsOnlyIt()
    {
        var from = ProxySnapshot.Create([Cluster("a", "10.0.0.1"), Cluster("b", "10.0.0.2")]);
        var to = ProxySnapshot.Create([Cluster("a", "10.0.0.1"), Cluster("b", "10.0.0.3")]);

        var delta = SnapshotDelta.Compute(from, to);

        Assert.Equal(["cluster/b"], delta.Upserted.Select(r => r.Name));
        Assert.Empty(delta.Removed);
    }

    [Fact]
    public void Compute_ResourceGoneAndAdded_RemovesAndUpsertsByName()
    {
        var from = ProxySnapshot.Create([Cluster("a"), Cluster("b")]);
        var to = ProxySnapshot.Create([Cluster("b"), Cluster("c")]);

        var delta = SnapshotDelta.Compute(from, to);

        Assert.Equal(["cluster/c"], delta.Upserted.Select(r => r.Name));
        Assert.Equal(["cluster/a"], delta.Removed.ToArray());
    }

    [Fact]
    public void Compute_SameContent_IsEmptyAndVersionsAreEqual()
    {
        var from = ProxySnapshot.Create([Cluster("a", "10.0.0.1")]);
        var to = ProxySnapshot.Create([Cluster("a", "10.0.0.1")]);

        Assert.True(SnapshotDelta.Compute(from, to).IsEmpty);
        Assert.Equal(from.Version, to.Version);
    }

    [Fact]
    public void Create_DifferentContent_HasDifferentVersion()
    {
        var one = ProxySnapshot.Create([Cluster("a", "10.0.0.1")]);
        var other = ProxySnapshot.Create([Cluster("a", "10.0.0.2")]);

        Assert.NotEqual(one.Version, other.Version);
    }

    [Fact]
    public void ToResponse_Delta_CarriesVersionsNonceAndChanges()
    {
        var from = ProxySnapshot.Create([Cluster("a"), Cluster("b")]);
        var to = ProxySnapshot.Create([Cluster("b", "10.0.0.9")]);

        var response = SnapshotDelta.Compute(from, to).ToResponse(to.Version, from.Version, "7");

        Assert.Equal(to.Version, response.Version);
        Assert.Equal(from.Version, response.BaseVersion);
        Assert.Equal("7", response.Nonce);
        Assert.Equal(["cluster/b"], response.Upserted.Select(r => r.Name));
        Assert.Equal(["cluster/a"], response.Removed);
    }
}
