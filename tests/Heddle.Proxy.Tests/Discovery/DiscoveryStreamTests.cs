using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Discovery;

/// <summary>The proxy against a real gRPC control plane: acknowledgements, rejections, deltas and reconnection.</summary>
public sealed class DiscoveryStreamTests : IAsyncLifetime
{
    private const string Node = "client-0.default";
    private const int Port = 8000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private HttpUpstream _v1 = null!;
    private HttpUpstream _v2 = null!;
    private string _clusterV1 = "";
    private string _clusterV2 = "";

    public async Task InitializeAsync()
    {
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        _v1 = await HttpUpstream.StartAsync(_net.Address(10), 8080, "web-v1");
        _v2 = await HttpUpstream.StartAsync(_net.Address(11), 8080, "web-v2");
        _clusterV1 = ClusterName("web", Port, "v1");
        _clusterV2 = ClusterName("web", Port, "v2");
        _controlPlane.SetSnapshot(Node, SnapshotRoutingTo("1", _clusterV1));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _v1.DisposeAsync();
        await _v2.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }

    [Fact]
    public async Task FirstRequest_CarriesNodeAndFirstResponseIsAcknowledged()
    {
        var first = _controlPlane.Requests(Node)[0];
        Assert.Equal("client-0", first.Node.PodName);
        Assert.Equal("default", first.Node.Namespace);
        Assert.Equal(_net.Address(2).ToString(), first.Node.PodIp);
        Assert.Equal("", first.AckedVersion);
        Assert.Equal(WorkloadHealth.Healthy, first.Health);

        var ack = await _controlPlane.WaitForRequestAsync(Node, r => r.ResponseNonce == "n-1", "the acknowledgement of version 1");
        Assert.Equal("1", ack.AckedVersion);
        Assert.Null(ack.Rejection);
    }

    [Fact]
    public async Task Shutdown_EndsTheStreamWithAGoodbye_SoTheControlPlaneRemovesThePodAtOnce()
    {
        await _proxy.Host.StopAsync();

        Assert.True(_controlPlane.SaidGoodbye(Node));
    }

    [Fact]
    public async Task BadPush_IsRejectedAndPreviousConfigKeepsServing()
    {
        var bad = Full("2",
            Cluster(_clusterV1, Endpoint(_v1.Endpoint.Address.ToString(), 8080)),
            VirtualHost("web", Port, Route(_clusterV2)));

        await _controlPlane.PushAsync(Node, bad);

        var nack = await _controlPlane.WaitForRequestAsync(Node, r => r.ResponseNonce == "n-2", "the answer to version 2");
        Assert.Equal("1", nack.AckedVersion);
        Assert.Equal("2", nack.Rejection.Version);
        Assert.Contains($"cluster '{_clusterV2}', which is not in the configuration", nack.Rejection.Reason);
        Assert.Equal("1", _proxy.Host.Snapshots.Current.Version);
        Assert.Equal("web-v1", await GetServerAsync());
    }

    [Fact]
    public async Task BadRegexInDelta_IsRejectedAndNextGoodDeltaStillApplies()
    {
        await _controlPlane.PushAsync(Node, Delta("2", "1", [VirtualHost("web", Port, Route(_clusterV1, UriRegex("(unclosed")))]));
        var nack = await _controlPlane.WaitForRequestAsync(Node, r => r.ResponseNonce == "n-2", "the answer to version 2");
        Assert.Contains("invalid regular expression", nack.Rejection.Reason);

        await _controlPlane.PushAsync(Node, Delta("3", "1",
            [Cluster(_clusterV2, Endpoint(_v2.Endpoint.Address.ToString(), 8080)), VirtualHost("web", Port, Route(_clusterV2))],
            "cluster/" + _clusterV1));

        await _proxy.WaitForVersionAsync("3");
        var ack = await _controlPlane.WaitForRequestAsync(Node, r => r.ResponseNonce == "n-3", "the answer to version 3");
        Assert.Equal("3", ack.AckedVersion);
        Assert.Null(ack.Rejection);
        Assert.Equal("web-v2", await GetServerAsync());
        Assert.False(_proxy.Host.Snapshots.Current.Clusters.ContainsKey(_clusterV1));
    }

    [Fact]
    public async Task ControlPlaneGone_KeepsServing_ThenResynchronizesWhenBack()
    {
        await _controlPlane.StopAsync();
        await Eventually.WaitAsync(() => !_proxy.Host.Discovery.IsConnected, "the proxy to notice the control plane is gone");

        Assert.Equal("web-v1", await GetServerAsync());

        _controlPlane.SetSnapshot(Node, SnapshotRoutingTo("2", _clusterV2));
        var streamsBefore = _proxy.Host.Discovery.StreamsOpened;
        await _controlPlane.StartAsync();

        await _proxy.WaitForVersionAsync("2");
        Assert.True(_proxy.Host.Discovery.StreamsOpened > streamsBefore);
        Assert.Equal("web-v2", await GetServerAsync());
        var reconnect = _controlPlane.Requests(Node).Last(r => r.Node is not null);
        Assert.Equal("1", reconnect.AckedVersion);
    }

    [Fact]
    public async Task InFlightRequest_KeepsSnapshotItStartedWith()
    {
        var before = _proxy.Host.Snapshots.Current;
        await _controlPlane.PushAsync(Node, SnapshotRoutingTo("2", _clusterV2));
        await _proxy.WaitForVersionAsync("2");

        Assert.Equal("1", before.Version);
        Assert.Same(before.Routes.VirtualHosts[0].Routes[0].Clusters.Clusters[0], before.Clusters[_clusterV1]);
        Assert.Equal("web-v2", await GetServerAsync());
    }

    private async Task<string> GetServerAsync()
    {
        using var http = _proxy.CreateProxiedClient();
        return HttpUpstream.Parse(await http.GetStringAsync($"http://web:{Port}/"))["server"];
    }

    private DiscoveryResponse SnapshotRoutingTo(string version, string cluster) => Full(
        version,
        Cluster(_clusterV1, Endpoint(_v1.Endpoint.Address.ToString(), 8080)),
        Cluster(_clusterV2, Endpoint(_v2.Endpoint.Address.ToString(), 8080)),
        VirtualHost("web", Port, Route(cluster)));
}
