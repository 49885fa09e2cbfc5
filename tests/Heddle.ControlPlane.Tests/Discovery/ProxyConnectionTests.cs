using Heddle.ControlPlane.Discovery;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.Snapshots;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Discovery;

public sealed class ProxyConnectionTests
{
    private static ProxyConnection NewConnection()
    {
        var node = new Node { Id = "web-0.default", PodName = "web-0", Namespace = "default", Workload = "web", PodIp = "127.0.1.1" };
        var registration = new PodRegistry().Register(ConnectedPod.FromNode(node, WorkloadHealth.Healthy));
        return new ProxyConnection(node, registration);
    }

    private static DiscoveryRequest Ack(DiscoveryResponse response) =>
        new() { AckedVersion = response.Version, ResponseNonce = response.Nonce };

    private static DiscoveryRequest Nack(DiscoveryResponse response, string ackedVersion) =>
        new() { AckedVersion = ackedVersion, ResponseNonce = response.Nonce, Rejection = new Rejection { Version = response.Version, Reason = "bad cluster" } };

    [Fact]
    public void TryTakeNextResponse_First_IsFullSnapshot()
    {
        var connection = NewConnection();
        var snapshot = ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a")]);
        connection.SetLatest(snapshot);

        Assert.True(connection.TryTakeNextResponse(out var outgoing));
        Assert.Equal("", outgoing.Response.BaseVersion);
        Assert.Equal(snapshot.Version, outgoing.Response.Version);
        Assert.Equal("NOT SENT", NewConnection().GetStatus().Status);
        Assert.Equal("STALE", connection.GetStatus().Status);
    }

    [Fact]
    public void TryTakeNextResponse_WhileInFlight_WaitsForAnswerThenSendsOneCombinedDelta()
    {
        var connection = NewConnection();
        var v1 = ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a"), SnapshotDeltaTests.Cluster("b")]);
        connection.SetLatest(v1);
        connection.TryTakeNextResponse(out var first);

        connection.SetLatest(ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a", "10.0.0.1"), SnapshotDeltaTests.Cluster("b")]));
        var v3 = ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a", "10.0.0.1"), SnapshotDeltaTests.Cluster("c")]);
        connection.SetLatest(v3);
        Assert.False(connection.TryTakeNextResponse(out _));

        Assert.Equal(ProxyConnection.Answer.Acked, connection.OnRequest(Ack(first.Response)));
        Assert.True(connection.TryTakeNextResponse(out var combined));

        Assert.Equal(v1.Version, combined.Response.BaseVersion);
        Assert.Equal(v3.Version, combined.Response.Version);
        Assert.Equal(["cluster/a", "cluster/c"], combined.Response.Upserted.Select(r => r.Name));
        Assert.Equal(["cluster/b"], combined.Response.Removed);
    }

    [Fact]
    public void OnRequest_Nack_KeepsAckedStateAndDoesNotResendTheVersion()
    {
        var connection = NewConnection();
        var v1 = ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a")]);
        connection.SetLatest(v1);
        connection.TryTakeNextResponse(out var first);
        connection.OnRequest(Ack(first.Response));

        var v2 = ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a"), SnapshotDeltaTests.Cluster("b")]);
        connection.SetLatest(v2);
        connection.TryTakeNextResponse(out var second);

        Assert.Equal(ProxyConnection.Answer.Rejected, connection.OnRequest(Nack(second.Response, v1.Version)));
        Assert.False(connection.TryTakeNextResponse(out _));
        var status = connection.GetStatus();
        Assert.Equal(v1.Version, status.AckedVersion);
        Assert.Equal(1, status.Rejections);
        Assert.Equal("bad cluster", status.LastRejection);

        var v3 = ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a"), SnapshotDeltaTests.Cluster("c")]);
        connection.SetLatest(v3);
        Assert.True(connection.TryTakeNextResponse(out var third));
        Assert.Equal(v1.Version, third.Response.BaseVersion);
        Assert.Equal(["cluster/c"], third.Response.Upserted.Select(r => r.Name));
        Assert.Empty(third.Response.Removed);
    }

    [Fact]
    public void OnRequest_StaleNonce_IsIgnored()
    {
        var connection = NewConnection();
        connection.SetLatest(ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a")]));
        connection.TryTakeNextResponse(out var first);

        Assert.Equal(ProxyConnection.Answer.None, connection.OnRequest(new DiscoveryRequest { AckedVersion = first.Response.Version, ResponseNonce = "99" }));
        Assert.Equal("", connection.GetStatus().AckedVersion);
    }

    [Fact]
    public void SetLatest_AckedVersionAgain_SendsNothing()
    {
        var connection = NewConnection();
        var v1 = ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a")]);
        connection.SetLatest(v1);
        connection.TryTakeNextResponse(out var first);
        connection.OnRequest(Ack(first.Response));

        Assert.False(connection.SetLatest(ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a")])));
        Assert.False(connection.TryTakeNextResponse(out _));
        Assert.Equal("SYNCED", connection.GetStatus().Status);
    }
}
