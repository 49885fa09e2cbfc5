using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.Discovery.V1;
using Heddle.ControlPlane.Tests.TestSupport;

namespace Heddle.ControlPlane.Tests.Snapshots;

public sealed class ClusterPoliciesTests
{
    private const string WebDefault = "outbound|8000||web.default.svc.cluster.local";
    private const string WebV1 = "outbound|8000|v1|web.default.svc.cluster.local";
    private const string WebV2 = "outbound|8000|v2|web.default.svc.cluster.local";

    private const string PlainRule = """
        spec:
          host: web
          subsets:
          - name: v1
            labels: {version: v1}
          - name: v2
            labels: {version: v2}
        """;

    private static readonly ImmutableArray<ConnectedPod> Pods =
    [
        new("web-v1-0.default", "web-v1-0", "default", "web-v1", "127.0.1.1", "default", WorkloadHealth.Healthy),
        new("web-v2-0.default", "web-v2-0", "default", "web-v2", "127.0.2.1", "default", WorkloadHealth.Healthy),
        new("client-0.default", "client-0", "default", "client", "127.0.3.1", "default", WorkloadHealth.Healthy),
    ];

    private static Dictionary<string, Cluster> Build(string ruleSpec, string extra = "")
    {
        var web = MeshConfig.Web.Replace(PlainRule, ruleSpec, StringComparison.Ordinal);
        Assert.NotEqual(MeshConfig.Web, web);
        var files = extra.Length == 0 ? new[] { ("web.yaml", web) } : [("web.yaml", web), ("mesh.yaml", extra)];
        var snapshot = SnapshotBuilder.Build(MeshConfig.Load(files), Pods, new Node { Id = "client-0.default", PodName = "client-0", Namespace = "default", Workload = "client", PodIp = "127.0.3.1" });
        return snapshot.Resources.Values.Where(r => r.Resource.Cluster is not null).ToDictionary(r => r.Resource.Cluster.Name, r => r.Resource.Cluster);
    }

    [Fact]
    public void Build_TopLevelPolicy_EveryClusterCarriesLimitsAndOutlierDetection()
    {
        var clusters = Build("""
            spec:
              host: web
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 1, connectTimeout: 250ms}
                  http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1, http2MaxRequests: 7, maxRetries: 2, idleTimeout: 30s}
                outlierDetection:
                  consecutive5xxErrors: 1
                  interval: 1s
                  baseEjectionTime: 3m
                  maxEjectionPercent: 100
              subsets:
              - name: v1
                labels: {version: v1}
              - name: v2
                labels: {version: v2}
            """);

        foreach (var name in new[] { WebDefault, WebV1, WebV2 })
        {
            var pool = clusters[name].ConnectionPool;
            Assert.Equal(new ConnectionPoolLimits { MaxConnections = 1, ConnectTimeoutMs = 250, Http1MaxPendingRequests = 1, MaxRequestsPerConnection = 1, Http2MaxRequests = 7, MaxRetries = 2, IdleTimeoutMs = 30_000 }, pool);
            Assert.Equal(new OutlierDetectionPolicy { Consecutive5XxErrors = 1, IntervalMs = 1000, BaseEjectionTimeMs = 180_000, MaxEjectionPercent = 100 }, clusters[name].OutlierDetection);
        }
    }

    [Fact]
    public void Build_H2UpgradePolicy_UpgradeMarksTheClusterOthersKeepTheRequestsVersion()
    {
        var clusters = Build("""
            spec:
              host: web
              trafficPolicy:
                connectionPool:
                  http: {h2UpgradePolicy: UPGRADE}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  connectionPool:
                    http: {h2UpgradePolicy: DO_NOT_UPGRADE}
              - name: v2
                labels: {version: v2}
            """);

        Assert.True(clusters[WebDefault].H2Upgrade);
        Assert.False(clusters[WebV1].H2Upgrade);
        Assert.True(clusters[WebV2].H2Upgrade);
    }

    [Fact]
    public void Build_MeshConfigUpgrade_IsTheDefaultARuleCanTurnOff()
    {
        const string Mesh = """
            apiVersion: heddle.dev/v1alpha1
            kind: MeshConfig
            metadata:
              name: mesh
            spec:
              h2UpgradePolicy: UPGRADE
            """;
        var clusters = Build("""
            spec:
              host: web
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  connectionPool:
                    http: {h2UpgradePolicy: DO_NOT_UPGRADE}
              - name: v2
                labels: {version: v2}
            """, Mesh);

        Assert.True(clusters[WebDefault].H2Upgrade);
        Assert.False(clusters[WebV1].H2Upgrade);
        Assert.True(clusters[WebV2].H2Upgrade);
    }

    [Fact]
    public void Build_SubsetPolicy_OverridesTopLevelFieldByField()
    {
        var clusters = Build("""
            spec:
              host: web
              trafficPolicy:
                loadBalancer: {simple: RANDOM}
                connectionPool:
                  tcp: {maxConnections: 10}
                outlierDetection: {consecutiveGatewayErrors: 3}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  connectionPool:
                    http: {http2MaxRequests: 5}
              - name: v2
                labels: {version: v2}
                trafficPolicy:
                  loadBalancer:
                    consistentHash: {httpHeaderName: X-User}
            """);

        Assert.Equal(new ConnectionPoolLimits { Http2MaxRequests = 5 }, clusters[WebV1].ConnectionPool);
        Assert.Equal(3u, clusters[WebV1].OutlierDetection.ConsecutiveGatewayErrors);
        Assert.Equal(LoadBalancerPolicy.LoadBalancerRandom, clusters[WebV1].LoadBalancer);
        Assert.Null(clusters[WebV1].ConsistentHash);

        Assert.Equal("x-user", clusters[WebV2].ConsistentHash.HeaderName);
        Assert.Equal(new ConnectionPoolLimits { MaxConnections = 10 }, clusters[WebV2].ConnectionPool);
        Assert.Equal(3u, clusters[WebV2].OutlierDetection.ConsecutiveGatewayErrors);

        Assert.Equal(new ConnectionPoolLimits { MaxConnections = 10 }, clusters[WebDefault].ConnectionPool);
        Assert.Null(clusters[WebDefault].ConsistentHash);
    }

    [Fact]
    public void Build_PortLevelSettings_ReplaceTheWholePolicyWithoutInheriting()
    {
        var clusters = Build("""
            spec:
              host: web
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 10}
                outlierDetection: {consecutive5xxErrors: 2}
                portLevelSettings:
                - port: {number: 8000}
                  loadBalancer: {simple: LEAST_REQUEST}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  outlierDetection: {consecutive5xxErrors: 4}
              - name: v2
                labels: {version: v2}
                trafficPolicy:
                  connectionPool:
                    tcp: {maxConnections: 3}
                  portLevelSettings:
                  - port: {number: 8000}
                    loadBalancer: {simple: RANDOM}
            """);

        Assert.Equal(LoadBalancerPolicy.LoadBalancerLeastRequest, clusters[WebDefault].LoadBalancer);
        Assert.Null(clusters[WebDefault].ConnectionPool);
        Assert.Null(clusters[WebDefault].OutlierDetection);

        Assert.Equal(LoadBalancerPolicy.LoadBalancerLeastRequest, clusters[WebV1].LoadBalancer);
        Assert.Equal(4u, clusters[WebV1].OutlierDetection.Consecutive5XxErrors);
        Assert.Null(clusters[WebV1].ConnectionPool);

        Assert.Equal(LoadBalancerPolicy.LoadBalancerRandom, clusters[WebV2].LoadBalancer);
        Assert.Null(clusters[WebV2].ConnectionPool);
        Assert.Null(clusters[WebV2].OutlierDetection);
    }

    [Fact]
    public void Build_OutlierDetectionWithoutFields_IstioDefaults()
    {
        var clusters = Build("""
            spec:
              host: web
              trafficPolicy:
                outlierDetection: {}
              subsets:
              - name: v1
                labels: {version: v1}
              - name: v2
                labels: {version: v2}
            """);

        Assert.Equal(new OutlierDetectionPolicy { Consecutive5XxErrors = 5, IntervalMs = 10_000, BaseEjectionTimeMs = 30_000, MaxEjectionPercent = 10 }, clusters[WebDefault].OutlierDetection);
    }

    [Fact]
    public void Build_ConsistentHashCookieWithTtl_CookieIssuedWithTtlAndPathOnDefaultRing()
    {
        var clusters = Build("""
            spec:
              host: web
              trafficPolicy:
                loadBalancer:
                  consistentHash:
                    httpCookie: {name: user, path: /, ttl: 0s}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  loadBalancer:
                    consistentHash:
                      httpCookie: {name: session, ttl: 90s, attributes: [{name: SameSite, value: Lax}, {name: Secure}]}
                      maglev: {}
              - name: v2
                labels: {version: v2}
                trafficPolicy:
                  loadBalancer:
                    consistentHash:
                      httpQueryParameterName: user
                      ringHash: {minimumRingSize: 64}
            """);

        var top = clusters[WebDefault].ConsistentHash;
        Assert.Equal(new ConsistentHashCookie { Name = "user", Path = "/", TtlSeconds = 0 }, top.Cookie);
        Assert.True(top.Cookie.HasTtlSeconds);
        Assert.Equal(ConsistentHashTable.RingHash, top.Table);
        Assert.Equal(ClusterPolicies.DefaultRingSize, top.TableSize);

        var v1 = clusters[WebV1].ConsistentHash;
        Assert.Equal(90ul, v1.Cookie.TtlSeconds);
        Assert.Equal(["SameSite=Lax", "Secure"], v1.Cookie.Attributes);
        Assert.Equal(ConsistentHashTable.Maglev, v1.Table);
        Assert.Equal(ClusterPolicies.DefaultMaglevTableSize, v1.TableSize);

        var v2 = clusters[WebV2].ConsistentHash;
        Assert.Equal("user", v2.QueryParameterName);
        Assert.Equal(64ul, v2.TableSize);
    }

    [Fact]
    public void Build_CookieWithoutTtl_NoCookieIssued()
    {
        var clusters = Build("""
            spec:
              host: web
              trafficPolicy:
                loadBalancer:
                  consistentHash:
                    httpCookie: {name: user}
              subsets:
              - name: v1
                labels: {version: v1}
              - name: v2
                labels: {version: v2}
            """);

        Assert.False(clusters[WebDefault].ConsistentHash.Cookie.HasTtlSeconds);
    }

    [Fact]
    public void Build_MeshConfigRegistryOnly_SettingsCarryTheOutboundPolicy()
    {
        var mesh = """
            apiVersion: heddle.dev/v1alpha1
            kind: MeshConfig
            metadata:
              name: mesh
            spec:
              outboundTrafficPolicy:
                mode: REGISTRY_ONLY
            """;
        var config = MeshConfig.Load(("web.yaml", MeshConfig.Web), ("mesh.yaml", mesh));

        var snapshot = SnapshotBuilder.Build(config, Pods, new Node { Id = "client-0.default", PodName = "client-0", Namespace = "default", Workload = "client", PodIp = "127.0.3.1" });

        Assert.Equal(OutboundTrafficPolicyMode.RegistryOnly, config.OutboundTrafficPolicy);
        Assert.Equal(ProxySettings.Types.OutboundTrafficPolicy.RegistryOnly, snapshot.Resources["settings"].Resource.Settings.OutboundTrafficPolicy);
    }
}
