using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;
using Resource = Heddle.Discovery.V1.Resource;

namespace Heddle.ControlPlane.Tests.Snapshots;

public sealed class SnapshotBuilderTests
{
    private const string WebDefault = "outbound|8000||web.default.svc.cluster.local";
    private const string WebV1 = "outbound|8000|v1|web.default.svc.cluster.local";
    private const string WebV2 = "outbound|8000|v2|web.default.svc.cluster.local";

    private static readonly ConfigSet Mesh = MeshConfig.Load(("web.yaml", MeshConfig.Web), ("shop.yaml", MeshConfig.Shop), ("external.yaml", MeshConfig.External));

    private static readonly ImmutableArray<ConnectedPod> Pods =
    [
        Pod("web-v1-0", "default", "web-v1", "127.0.1.1"),
        Pod("web-v1-1", "default", "web-v1", "127.0.1.2", WorkloadHealth.Unhealthy),
        Pod("web-v2-0", "default", "web-v2", "127.0.2.1"),
        Pod("client-0", "default", "client", "127.0.3.1"),
        Pod("api-0", "shop", "api", "127.0.4.1"),
    ];

    private static ConnectedPod Pod(string name, string ns, string workload, string ip, WorkloadHealth health = WorkloadHealth.Healthy) =>
        new($"{name}.{ns}", name, ns, workload, ip, "default", health);

    private static Node NodeOf(string podName, string ns = "default")
    {
        var pod = Pods.Single(p => p.PodName == podName && p.Namespace == ns);
        return new Node { Id = pod.Id, PodName = pod.PodName, Namespace = pod.Namespace, Workload = pod.Workload, PodIp = pod.PodIp };
    }

    private static ProxySnapshot BuildFor(string podName, string ns = "default") => SnapshotBuilder.Build(Mesh, Pods, NodeOf(podName, ns));

    private static Cluster ClusterOf(ProxySnapshot snapshot, string name) => snapshot.Resources["cluster/" + name].Resource.Cluster;

    private static VirtualHost VirtualHostOf(ProxySnapshot snapshot, string name) => snapshot.Resources["vhost/" + name].Resource.VirtualHost;

    private static string[] Addresses(Cluster cluster) => [.. cluster.Endpoints.Select(e => $"{e.Address}:{e.Port}")];

    [Fact]
    public void Build_ServiceWithLocalWorkloads_EndpointsAreHealthyPodsOnTheirNamedTargetPort()
    {
        var cluster = ClusterOf(BuildFor("client-0"), WebDefault);

        Assert.Equal(["127.0.1.1:8080", "127.0.2.1:9090"], Addresses(cluster));
        Assert.Equal(["127.0.1.1:15006", "127.0.2.1:15006"], cluster.Endpoints.Select(e => e.Sidecar));
        Assert.Equal("v1", cluster.Endpoints[0].Labels["version"]);
        Assert.Equal("web.default.svc.cluster.local", cluster.Service);
        Assert.Equal(Protocol.Http, cluster.Protocol);
    }

    [Fact]
    public void Build_ServiceWithLocalWorkloads_EndpointsNameTheirWorkloadForMetrics()
    {
        var cluster = ClusterOf(BuildFor("client-0"), WebDefault);

        Assert.Equal("web", cluster.ServiceName);
        Assert.Equal("default", cluster.ServiceNamespace);
        Assert.Equal(["web-v1", "web-v2"], cluster.Endpoints.Select(e => e.Workload));
        Assert.All(cluster.Endpoints, e => Assert.Equal("default", e.WorkloadNamespace));
        Assert.All(cluster.Endpoints, e => Assert.NotEqual("", e.ServiceAccount));
    }

    [Fact]
    public void Build_DestinationRuleSubsets_ClusterPerSubsetWithMatchingEndpoints()
    {
        var snapshot = BuildFor("client-0");

        Assert.Equal(["127.0.1.1:8080"], Addresses(ClusterOf(snapshot, WebV1)));
        Assert.Equal(["127.0.2.1:9090"], Addresses(ClusterOf(snapshot, WebV2)));
        Assert.Equal("v2", ClusterOf(snapshot, WebV2).Subset);
    }

    [Fact]
    public void Build_WeightedRoute_Splits80To20BetweenSubsets()
    {
        var routes = VirtualHostOf(BuildFor("client-0"), "web.default.svc.cluster.local:8000").Routes;

        var split = routes[1];
        Assert.Empty(split.Matches);
        Assert.Equal([(WebV1, 80u), (WebV2, 20u)], split.Clusters.Select(c => (c.Cluster, c.Weight)));
    }

    [Fact]
    public void Build_HeaderMatch_FirstRouteSendsToV2()
    {
        var canary = VirtualHostOf(BuildFor("client-0"), "web.default.svc.cluster.local:8000").Routes[0];

        var header = Assert.Single(Assert.Single(canary.Matches).Headers);
        Assert.Equal("x-canary", header.Name);
        Assert.Equal("true", header.Value.Exact);
        Assert.False(header.Invert);
        Assert.Equal([(WebV2, 100u)], canary.Clusters.Select(c => (c.Cluster, c.Weight)));
    }

    [Fact]
    public void Build_ShortNamesInOtherNamespace_ResolveInTheVirtualServicesNamespace()
    {
        var routes = VirtualHostOf(BuildFor("client-0"), "api.shop.svc.cluster.local:9000").Routes;

        var route = Assert.Single(routes);
        var match = Assert.Single(route.Matches);
        Assert.Equal("/shop.v2.", match.Uri.Prefix);
        var without = Assert.Single(match.Headers);
        Assert.Equal("x-legacy", without.Name);
        Assert.True(without.Invert);
        Assert.Null(without.Value);
        Assert.Equal(["outbound|9000||api.shop.svc.cluster.local"], route.Clusters.Select(c => c.Cluster));
        Assert.Equal(Protocol.Grpc, ClusterOf(BuildFor("client-0"), "outbound|9000||api.shop.svc.cluster.local").Protocol);
    }

    [Fact]
    public void Build_ProxyInSameNamespace_DomainsIncludeShortName()
    {
        var virtualHost = VirtualHostOf(BuildFor("client-0"), "web.default.svc.cluster.local:8000");

        Assert.Equal(["web:8000", "web.default:8000", "web.default.svc:8000", "web.default.svc.cluster.local:8000"], virtualHost.Domains);
        Assert.Equal(8000u, virtualHost.Port);
    }

    [Fact]
    public void Build_ProxyInOtherNamespace_DomainsOmitShortName()
    {
        var fromDefault = VirtualHostOf(BuildFor("client-0"), "api.shop.svc.cluster.local:9000");
        var fromShop = VirtualHostOf(BuildFor("api-0", "shop"), "web.default.svc.cluster.local:8000");

        Assert.Equal(["api.shop:9000", "api.shop.svc:9000", "api.shop.svc.cluster.local:9000"], fromDefault.Domains);
        Assert.Equal(["web.default:8000", "web.default.svc:8000", "web.default.svc.cluster.local:8000"], fromShop.Domains);
    }

    [Fact]
    public void Build_ServiceEntryWithWorkloadSelector_WorkloadEntriesAreEndpointsWithoutSidecar()
    {
        var snapshot = BuildFor("client-0");
        var cluster = ClusterOf(snapshot, "outbound|80||legacy.internal");

        Assert.Equal(["10.1.0.5:8085", "10.1.0.6:8081"], Addresses(cluster));
        Assert.All(cluster.Endpoints, e => Assert.Equal("", e.Sidecar));
        Assert.Equal(["legacy.internal:80"], VirtualHostOf(snapshot, "legacy.internal:80").Domains);
    }

    [Fact]
    public void Build_ServiceEntryDnsWithoutEndpoints_HostIsTheEndpoint()
    {
        var cluster = ClusterOf(BuildFor("client-0"), "outbound|443||payments.example.com");

        Assert.Equal(["payments.example.com:443"], Addresses(cluster));
        Assert.Equal(Protocol.Tcp, cluster.Protocol);
    }

    [Fact]
    public void Build_NoVirtualService_OneCatchAllRouteToDefaultCluster()
    {
        var route = Assert.Single(VirtualHostOf(BuildFor("client-0"), "legacy.internal:80").Routes);

        Assert.Empty(route.Matches);
        Assert.Equal([("outbound|80||legacy.internal", 100u)], route.Clusters.Select(c => (c.Cluster, c.Weight)));
    }

    [Fact]
    public void Build_Inbound_AppAddressIsPodIpAndPortsCarryProtocols()
    {
        var inbound = BuildFor("api-0", "shop").Resources["inbound"].Resource.Inbound;

        Assert.Equal("127.0.4.1", inbound.AppAddress);
        Assert.Equal([(9000u, "grpc", Protocol.Grpc), (9100u, "metrics", Protocol.Http)], inbound.Ports.Select(p => (p.Port, p.Name, p.Protocol)));
    }

    [Fact]
    public void Build_Settings_AllowAnyOutboundTraffic()
    {
        var settings = BuildFor("client-0").Resources["settings"].Resource.Settings;

        Assert.Equal(ProxySettings.Types.OutboundTrafficPolicy.AllowAny, settings.OutboundTrafficPolicy);
    }

    [Fact]
    public void Build_EveryRoute_NamesClustersInTheSnapshot()
    {
        var snapshot = BuildFor("client-0");
        var routeClusters = snapshot.Resources.Values
            .Where(r => r.Resource.VirtualHost is not null)
            .SelectMany(r => r.Resource.VirtualHost.Routes)
            .SelectMany(r => r.Clusters)
            .Select(c => c.Cluster)
            .ToList();

        Assert.NotEmpty(routeClusters);
        Assert.All(routeClusters, name => Assert.True(snapshot.Resources.ContainsKey("cluster/" + name), name));
    }

    [Fact]
    public void Build_RouteToUndeclaredSubset_AddsAnEmptyCluster()
    {
        var config = MeshConfig.Load(("web.yaml", MeshConfig.Web.Replace("subset: v2}", "subset: v3}", StringComparison.Ordinal)));

        var snapshot = SnapshotBuilder.Build(config, Pods, NodeOf("client-0"));

        Assert.Empty(ClusterOf(snapshot, "outbound|8000|v3|web.default.svc.cluster.local").Endpoints);
    }

    [Fact]
    public void AssertRoutesHaveClusters_RouteToMissingCluster_Throws()
    {
        var virtualHost = new VirtualHost { Name = "web:80", Port = 80 };
        var route = new Route { Name = "broken" };
        route.Clusters.Add(new WeightedCluster { Cluster = "outbound|80||web", Weight = 100 });
        virtualHost.Routes.Add(route);
        var snapshot = ProxySnapshot.Create([SnapshotResource.Create(new Resource { Name = "vhost/web:80", VirtualHost = virtualHost })]);

        var exception = Assert.Throws<InvalidOperationException>(() => SnapshotBuilder.AssertRoutesHaveClusters(snapshot));
        Assert.Contains("outbound|80||web", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameInputs_SameVersion()
    {
        Assert.Equal(BuildFor("client-0").Version, BuildFor("client-0").Version);
        Assert.NotEqual(BuildFor("client-0").Version, BuildFor("web-v1-0").Version);
    }

    [Fact]
    public void Build_PodBecomesUnhealthy_OnlyItsClustersChange()
    {
        var before = BuildFor("client-0");
        var pods = Pods.Replace(Pods[2], Pods[2] with { Health = WorkloadHealth.Unhealthy });

        var after = SnapshotBuilder.Build(Mesh, pods, NodeOf("client-0"));

        var delta = SnapshotDelta.Compute(before, after);
        Assert.Equal(["cluster/" + WebV2, "cluster/" + WebDefault], delta.Upserted.Select(r => r.Name));
        Assert.Empty(delta.Removed);
        Assert.Empty(ClusterOf(after, WebV2).Endpoints);
    }

    [Fact]
    public void Build_DestinationRuleLoadBalancer_SetsClusterPolicy()
    {
        var config = MeshConfig.Load(("web.yaml", MeshConfig.Web.Replace("  host: web\n  subsets:", "  host: web\n  trafficPolicy:\n    loadBalancer: {simple: RANDOM}\n  subsets:", StringComparison.Ordinal)));

        var snapshot = SnapshotBuilder.Build(config, Pods, NodeOf("client-0"));

        Assert.Equal(LoadBalancerPolicy.LoadBalancerRandom, ClusterOf(snapshot, WebDefault).LoadBalancer);
        Assert.Equal(LoadBalancerPolicy.LoadBalancerRandom, ClusterOf(snapshot, WebV1).LoadBalancer);
    }

    [Fact]
    public void Build_DestinationPort_PicksThatPortsCluster_OtherwiseTheOnlyPortOrTheRequestPort()
    {
        var config = MeshConfig.Load(("web.yaml", MeshConfig.Web), ("routes.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: multi}
            spec:
              selector: {app: multi}
              ports: [{name: http, port: 80}, {name: http-admin, port: 9090}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: multi}
            spec:
              hosts: [multi]
              http:
              - match:
                - uri: {prefix: /admin}
                route:
                - destination: {host: multi, port: {number: 9090}}
              - route:
                - destination: {host: multi}
            """));

        var snapshot = SnapshotBuilder.Build(config, Pods, NodeOf("client-0"));

        var routes = VirtualHostOf(snapshot, "multi.default.svc.cluster.local:80").Routes;
        Assert.Equal("outbound|9090||multi.default.svc.cluster.local", routes[0].Clusters.Single().Cluster);
        // Without a port, a service with several ports is reached on the port the request came in on.
        Assert.Equal("outbound|80||multi.default.svc.cluster.local", routes[1].Clusters.Single().Cluster);
        Assert.Equal("outbound|9090||multi.default.svc.cluster.local", VirtualHostOf(snapshot, "multi.default.svc.cluster.local:9090").Routes[1].Clusters.Single().Cluster);
    }

    [Fact]
    public void Build_MatchOnCallerLabelsAndPort_KeepsOnlyMatchesThatHoldForThisProxy()
    {
        var config = MeshConfig.Load(("web.yaml", MeshConfig.Web), ("routes.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: echo}
            spec:
              selector: {app: echo}
              ports: [{name: http, port: 80}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: echo}
            spec:
              hosts: [echo]
              http:
              - name: from-client
                match:
                - sourceLabels: {app: client}
                  uri: {exact: /a}
                - sourceLabels: {app: other}
                  uri: {exact: /b}
                route:
                - destination: {host: echo}
              - name: by-method
                match:
                - method: {exact: POST}
                route:
                - destination: {host: web}
              - name: other-port
                match:
                - port: 8080
                route:
                - destination: {host: web}
              - name: rest
                route:
                - destination: {host: echo}
            """));

        var snapshot = SnapshotBuilder.Build(config, Pods, NodeOf("client-0"));

        var routes = VirtualHostOf(snapshot, "echo.default.svc.cluster.local:80").Routes;
        Assert.Equal(["default/echo/from-client", "default/echo/by-method", "default/echo/rest"], routes.Select(r => r.Name));
        Assert.Equal("/a", Assert.Single(routes[0].Matches).Uri.Exact);
        Assert.Equal("POST", Assert.Single(routes[1].Matches).Method.Exact);
    }

    [Fact]
    public void Build_ServiceEntryInlineEndpoints_UsePortMapOrTargetPort()
    {
        var config = MeshConfig.Load(("db.yaml", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db}
            spec:
              hosts: [db.internal]
              ports:
              - {number: 5432, name: tcp-postgres, protocol: TCP}
              resolution: STATIC
              endpoints:
              - address: 10.2.0.1
              - address: 10.2.0.2
                ports: {tcp-postgres: 6432}
                labels: {role: replica}
            """));

        var cluster = ClusterOf(SnapshotBuilder.Build(config, [], new Node { Id = "x.default", Namespace = "default", PodIp = "127.0.9.1" }), "outbound|5432||db.internal");

        Assert.Equal(["10.2.0.1:5432", "10.2.0.2:6432"], Addresses(cluster));
        Assert.Equal(Protocol.Tcp, cluster.Protocol);
        Assert.Equal("replica", cluster.Endpoints[1].Labels["role"]);
    }
}
