using System.Collections.Immutable;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Snapshots;

/// <summary>Automatic mutual TLS, DestinationRule tls and PeerAuthentication as they reach a proxy's snapshot.</summary>
public sealed class ClusterTlsTests
{
    private const string WebDefault = "outbound|8000||web.default.svc.cluster.local";
    private const string WebV1 = "outbound|8000|v1|web.default.svc.cluster.local";

    private static readonly ImmutableArray<ConnectedPod> Pods =
    [
        new("web-v1-0.default", "web-v1-0", "default", "web-v1", "127.0.1.1", "default", WorkloadHealth.Healthy),
        new("web-v2-0.default", "web-v2-0", "default", "web-v2", "127.0.2.1", "default", WorkloadHealth.Healthy),
        new("client-0.default", "client-0", "default", "client", "127.0.3.1", "default", WorkloadHealth.Healthy),
    ];

    private static ProxySnapshot Build(string pod, params (string File, string Yaml)[] extra)
    {
        var config = MeshConfig.Load([("web.yaml", MeshConfig.Web), .. extra]);
        var node = Pods.Single(p => p.PodName == pod);
        return SnapshotBuilder.Build(config, Pods, new Node { Id = node.Id, PodName = node.PodName, Namespace = node.Namespace, Workload = node.Workload, PodIp = node.PodIp });
    }

    private static Cluster ClusterOf(ProxySnapshot snapshot, string name) => snapshot.Resources["cluster/" + name].Resource.Cluster;

    [Fact]
    public void Build_NoDestinationRuleTls_AutomaticMutualTlsExpectingTheServiceAccountsOfTheService()
    {
        var tls = ClusterOf(Build("client-0"), WebDefault).Tls;

        Assert.Equal(TlsSettings.Types.Mode.IstioMutual, tls.Mode);
        Assert.True(tls.Automatic);
        Assert.Equal(["spiffe://cluster.local/ns/default/sa/default"], tls.SubjectAltNames);
    }

    [Fact]
    public void Build_DestinationRuleTlsDisable_ClusterIsPlaintext()
    {
        // The rule of MeshConfig.Web, with tls for the service and for subset v1.
        var web = MeshConfig.Web.Replace(
            "  host: web\n  subsets:\n  - name: v1\n    labels: {version: v1}\n",
            "  host: web\n  trafficPolicy:\n    tls: {mode: DISABLE}\n  subsets:\n  - name: v1\n    labels: {version: v1}\n    trafficPolicy:\n      tls: {mode: SIMPLE, sni: web.example.com, subjectAltNames: [web.example.com]}\n",
            StringComparison.Ordinal);
        Assert.NotEqual(MeshConfig.Web, web);
        var config = MeshConfig.Load(("web.yaml", web));
        var snapshot = SnapshotBuilder.Build(config, Pods, new Node { Id = "client-0.default", PodName = "client-0", Namespace = "default", Workload = "client", PodIp = "127.0.3.1" });

        Assert.Null(ClusterOf(snapshot, WebDefault).Tls);
        var subset = ClusterOf(snapshot, WebV1).Tls;
        Assert.Equal(TlsSettings.Types.Mode.Simple, subset.Mode);
        Assert.Equal("web.example.com", subset.Sni);
        Assert.Equal(["web.example.com"], subset.SubjectAltNames);
    }

    [Fact]
    public void Build_DestinationPeerAuthenticationDisable_EndpointIsMarkedPlaintextAndInboundPortsCarryTheMode()
    {
        (string, string) disableV1 = ("pa.yaml", """
            apiVersion: security.istio.io/v1beta1
            kind: PeerAuthentication
            metadata: {name: web-v1, namespace: default}
            spec:
              selector:
                matchLabels: {version: v1}
              mtls: {mode: DISABLE}
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: istio-system}
            spec:
              mtls: {mode: STRICT}
            """);

        var cluster = ClusterOf(Build("client-0", disableV1), WebDefault);
        var inboundV1 = Build("web-v1-0", disableV1).Resources["inbound"].Resource.Inbound;
        var inboundV2 = Build("web-v2-0", disableV1).Resources["inbound"].Resource.Inbound;

        Assert.Equal([true, false], cluster.Endpoints.Select(e => e.MtlsDisabled));
        Assert.Equal(PeerAuthenticationMode.PeerAuthenticationDisable, inboundV1.MtlsMode);
        Assert.Equal(PeerAuthenticationMode.PeerAuthenticationDisable, inboundV1.Ports[0].MtlsMode);
        Assert.Equal(PeerAuthenticationMode.PeerAuthenticationStrict, inboundV2.Ports[0].MtlsMode);
    }
}
