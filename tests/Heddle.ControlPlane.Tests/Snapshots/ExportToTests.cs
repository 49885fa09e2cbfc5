using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Snapshots;

/// <summary>Istio's exportTo on VirtualService, DestinationRule and ServiceEntry (and the Service annotation): a resource
/// not exported to a proxy's namespace does not shape that proxy's snapshot.</summary>
public sealed class ExportToTests
{
    private const string WebDefault = "outbound|8000||web.default.svc.cluster.local";

    private static readonly ImmutableArray<ConnectedPod> Pods =
    [
        new("web-v1-0.default", "web-v1-0", "default", "web-v1", "127.0.1.1", "default", WorkloadHealth.Healthy),
        new("web-v2-0.default", "web-v2-0", "default", "web-v2", "127.0.2.1", "default", WorkloadHealth.Healthy),
        new("client-0.default", "client-0", "default", "client", "127.0.3.1", "default", WorkloadHealth.Healthy),
        new("api-0.shop", "api-0", "shop", "api", "127.0.4.1", "default", WorkloadHealth.Healthy),
    ];

    private static readonly Node Client = new() { Id = "client-0.default", PodName = "client-0", Namespace = "default", Workload = "client", PodIp = "127.0.3.1" };

    private static readonly Node Api = new() { Id = "api-0.shop", PodName = "api-0", Namespace = "shop", Workload = "api", PodIp = "127.0.4.1" };

    [Fact]
    public void Build_VirtualServiceExportedToItsNamespace_OtherNamespacesGetTheDefaultRoute()
    {
        var mesh = Load(MeshConfig.Web.Replace("  hosts: [web]\n", "  hosts: [web]\n  exportTo: [\".\"]\n", StringComparison.Ordinal));

        Assert.Equal(2, RoutesOf(SnapshotBuilder.Build(mesh, Pods, Client)).Count);
        var route = Assert.Single(RoutesOf(SnapshotBuilder.Build(mesh, Pods, Api)));
        Assert.Equal(WebDefault, Assert.Single(route.Clusters).Cluster);
    }

    [Fact]
    public void Build_DestinationRuleExportedToOneNamespace_OnlyThatNamespaceGetsItsPolicy()
    {
        var rule = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: web-random
            spec:
              host: web
              exportTo: [default]
              trafficPolicy:
                loadBalancer: {simple: RANDOM}
            """;
        var mesh = Load(WebWithoutRules(), ("rule.yaml", rule));

        Assert.Equal(LoadBalancerPolicy.LoadBalancerRandom, ClusterOf(SnapshotBuilder.Build(mesh, Pods, Client), WebDefault).LoadBalancer);
        // Not exported to shop: Istio's default, LEAST_REQUEST.
        Assert.Equal(LoadBalancerPolicy.LoadBalancerLeastRequest, ClusterOf(SnapshotBuilder.Build(mesh, Pods, Api), WebDefault).LoadBalancer);
    }

    [Fact]
    public void Build_ServiceEntryExportedToItsNamespace_InvisibleElsewhere()
    {
        var entry = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: payments
            spec:
              hosts: [payments.example.com]
              exportTo: ["."]
              ports:
              - {number: 80, name: http, protocol: HTTP}
              resolution: DNS
            """;
        var mesh = Load(MeshConfig.Web, ("entry.yaml", entry));

        Assert.True(SnapshotBuilder.Build(mesh, Pods, Client).Resources.ContainsKey("vhost/payments.example.com:80"));
        var shop = SnapshotBuilder.Build(mesh, Pods, Api);
        Assert.False(shop.Resources.ContainsKey("vhost/payments.example.com:80"));
        Assert.False(shop.Resources.ContainsKey("cluster/outbound|80||payments.example.com"));
    }

    [Fact]
    public void Build_ServiceAnnotatedExportToItsNamespace_InvisibleElsewhere()
    {
        var mesh = Load(MeshConfig.Web.Replace("  name: web\n  namespace: default\n", "  name: web\n  namespace: default\n  annotations:\n    networking.istio.io/exportTo: \".\"\n", StringComparison.Ordinal));

        Assert.True(SnapshotBuilder.Build(mesh, Pods, Client).Resources.ContainsKey("vhost/web.default.svc.cluster.local:8000"));
        Assert.False(SnapshotBuilder.Build(mesh, Pods, Api).Resources.ContainsKey("vhost/web.default.svc.cluster.local:8000"));
    }

    [Fact]
    public void Build_NoDestinationRule_ClustersUseIstioDefaultLeastRequest()
    {
        var mesh = Load(WebWithoutRules());

        Assert.Equal(LoadBalancerPolicy.LoadBalancerLeastRequest, ClusterOf(SnapshotBuilder.Build(mesh, Pods, Client), WebDefault).LoadBalancer);
    }

    private static ConfigSet Load(string web, params (string File, string Yaml)[] more) =>
        MeshConfig.Load([("web.yaml", web), .. more, ("shop.yaml", MeshConfig.Shop)]);

    /// <summary>The shared web mesh without its DestinationRule and VirtualService.</summary>
    private static string WebWithoutRules()
    {
        var documents = MeshConfig.Web.Split("\n---\n");
        return string.Join("\n---\n", documents.Where(d => !d.Contains("kind: VirtualService", StringComparison.Ordinal) && !d.Contains("kind: DestinationRule", StringComparison.Ordinal)));
    }

    private static Google.Protobuf.Collections.RepeatedField<Route> RoutesOf(ProxySnapshot snapshot) =>
        snapshot.Resources["vhost/web.default.svc.cluster.local:8000"].Resource.VirtualHost.Routes;

    private static Cluster ClusterOf(ProxySnapshot snapshot, string name) => snapshot.Resources["cluster/" + name].Resource.Cluster;
}
