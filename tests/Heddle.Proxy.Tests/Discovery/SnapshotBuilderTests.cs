using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using Heddle.Proxy.Upstreams;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Discovery;

public sealed class SnapshotBuilderTests
{
    private static readonly string Web = ClusterName("web", 8000);

    [Fact]
    public void Build_CompilesRoutesClustersInboundAndSettings()
    {
        var snapshot = TestSnapshots.Build(
            "4",
            Cluster(Web, Endpoint("10.0.0.1", 8080, "10.0.0.1:15006"), Endpoint("10.0.0.2", 8080)),
            VirtualHost("web", 8000, Route(Web)),
            Inbound("127.0.1.1", (8080, Protocol.Http), (9090, Protocol.Grpc)),
            Settings(ProxySettings.Types.OutboundTrafficPolicy.RegistryOnly));

        Assert.Equal("4", snapshot.Version);
        var endpoints = snapshot.Clusters[Web].Endpoints;
        Assert.Equal("http://10.0.0.1:15006", endpoints[0].DestinationPrefix);
        Assert.Equal(UpstreamProtocol.H2c, endpoints[0].Protocol);
        Assert.Equal("8080", endpoints[0].Transformer.InboundPort);
        Assert.Equal("http://10.0.0.2:8080", endpoints[1].DestinationPrefix);
        Assert.Equal(UpstreamProtocol.Http1, endpoints[1].Protocol);
        Assert.Null(endpoints[1].Transformer.InboundPort);
        Assert.Equal(UpstreamProtocol.Http1, snapshot.Inbound.Find(8080)!.Protocol);
        Assert.Equal(UpstreamProtocol.H2c, snapshot.Inbound.Find(9090)!.Protocol);
        Assert.Equal("http://127.0.1.1:9090", snapshot.Inbound.Find(9090)!.DestinationPrefix);
        Assert.Null(snapshot.Inbound.Find(1234));
        Assert.Equal(ProxySettings.Types.OutboundTrafficPolicy.RegistryOnly, snapshot.OutboundTrafficPolicy);
        Assert.NotNull(snapshot.Routes.Find("web.default:8000", 80));
    }

    [Fact]
    public void RouteToMissingCluster_IsRejected()
    {
        var reason = TestSnapshots.Reject(VirtualHost("web", 8000, Route(Web)));

        Assert.Equal($"virtual host 'web.default.svc.cluster.local:8000' route 0 ('route-{Web}') sends to cluster '{Web}', which is not in the configuration", reason);
    }

    [Fact]
    public void BadRegex_IsRejectedWithTheReason()
    {
        var reason = TestSnapshots.Reject(Cluster(Web), VirtualHost("web", 8000, Route(Web, UriRegex("([a-z]"))));

        Assert.StartsWith($"virtual host 'web.default.svc.cluster.local:8000' route 0 ('route-{Web}') match 0: uri: invalid regular expression '([a-z]'", reason);
    }

    [Fact]
    public void DomainInTwoVirtualHosts_IsRejected()
    {
        var other = VirtualHost("web", 8000, Route(Web));
        other.Name = "vhost/other";
        other.VirtualHost.Name = "other";

        var reason = TestSnapshots.Reject(Cluster(Web), VirtualHost("web", 8000, Route(Web)), other);

        Assert.Equal("domain 'web:8000' belongs to virtual hosts 'other' and 'web.default.svc.cluster.local:8000'", reason);
    }

    [Fact]
    public void ResourceNameNotMatchingItsContent_IsRejected()
    {
        var misnamed = Cluster(Web);
        misnamed.Name = "cluster/something-else";

        var reason = TestSnapshots.Reject(misnamed);

        Assert.Equal($"resource 'cluster/something-else' should be named 'cluster/{Web}'", reason);
    }

    [Theory]
    [InlineData("", 80u, null, "endpoint 0 needs an address and a port between 1 and 65535")]
    [InlineData("10.0.0.1", 0u, null, "endpoint 0 needs an address and a port between 1 and 65535")]
    [InlineData("10.0.0.1", 80u, "10.0.0.1", "endpoint 0 has sidecar '10.0.0.1', expected ip:port")]
    public void BadEndpoint_IsRejected(string address, uint port, string? sidecar, string expected)
    {
        var reason = TestSnapshots.Reject(Cluster(Web, new Endpoint { Address = address, Port = port, Sidecar = sidecar ?? "" }));

        Assert.Equal($"cluster '{Web}': {expected}", reason);
    }

    [Fact]
    public void InboundPortDeclaredTwice_IsRejected()
    {
        var reason = TestSnapshots.Reject(Inbound("127.0.0.1", (8080, Protocol.Http), (8080, Protocol.Grpc)));

        Assert.Equal("inbound port 8080 is declared twice", reason);
    }

    [Fact]
    public void RouteWithoutDestination_IsRejected()
    {
        var reason = TestSnapshots.Reject(VirtualHost("web", 8000, new Route { Name = "empty" }));

        Assert.Equal("virtual host 'web.default.svc.cluster.local:8000' route 0 ('empty') has no destination", reason);
    }

    [Fact]
    public void UnchangedCluster_IsReusedAcrossSnapshots()
    {
        var first = TestSnapshots.Build("1", Cluster(Web, Endpoint("10.0.0.1", 80)));
        var second = TestSnapshots.Build("2", first, new Random(1), Cluster(Web, Endpoint("10.0.0.1", 80)));

        Assert.Same(first.Clusters[Web], second.Clusters[Web]);
    }

    [Fact]
    public void EndpointPortTurnsDisable_UnderAutomaticMutualTls_EndpointIsRebuiltAsPlaintext()
    {
        var strict = Cluster(Web, Endpoint("10.0.0.1", 80, sidecar: "10.0.0.1:15006"));
        strict.Cluster.Tls = new TlsSettings { Mode = TlsSettings.Types.Mode.IstioMutual, Automatic = true };
        var disabled = strict.Clone();
        disabled.Cluster.Endpoints[0].MtlsDisabled = true;

        var first = TestSnapshots.Build("1", strict);
        var second = TestSnapshots.Build("2", first, new Random(1), disabled);
        var third = TestSnapshots.Build("3", second, new Random(1), strict.Clone());

        Assert.False(first.Clusters[Web].Endpoints[0].Plaintext);
        Assert.True(second.Clusters[Web].Endpoints[0].Plaintext);
        Assert.False(third.Clusters[Web].Endpoints[0].Plaintext);
    }
}
