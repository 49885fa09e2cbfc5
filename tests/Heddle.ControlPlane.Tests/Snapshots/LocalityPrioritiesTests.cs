using System.Collections.Immutable;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Snapshots;

public sealed class LocalityPrioritiesTests
{
    private const string Cluster = "outbound|80||api.default.svc.cluster.local";

    private static readonly ImmutableArray<ConnectedPod> Pods =
    [
        Pod("api-west-a", "127.0.1.1"),
        Pod("api-west-b", "127.0.2.1"),
        Pod("api-east", "127.0.3.1"),
        Pod("api-eu", "127.0.4.1"),
        Pod("client", "127.0.5.1"),
    ];

    private static ConnectedPod Pod(string workload, string ip) => new($"{workload}-0.default", $"{workload}-0", "default", workload, ip, "default", WorkloadHealth.Healthy);

    private static string Workload(string name, string region, string zone, string extra = "") => $"""
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata:
          name: {name}
          labels: {"{"}app: {(name == "client" ? "client" : "api")}, topology.kubernetes.io/region: {region}, topology.kubernetes.io/zone: {zone}{extra}{"}"}
        spec:
          command: ["sleep", "infinity"]
          ports: [{"{"}name: http, containerPort: 8080{"}"}]
        ---

        """;

    private static Dictionary<string, uint> Priorities(string trafficPolicy) =>
        Endpoints(trafficPolicy).ToDictionary(e => e.Address, e => e.Priority);

    private static IEnumerable<Endpoint> Endpoints(string trafficPolicy)
    {
        var yaml = Workload("api-west-a", "us-west", "a", ", network: n1")
            + Workload("api-west-b", "us-west", "b", ", network: n2")
            + Workload("api-east", "us-east", "a", ", network: n1")
            + Workload("api-eu", "eu-west", "a", ", network: n1")
            + Workload("client", "us-west", "a", ", network: n1")
            + $$"""
            apiVersion: v1
            kind: Service
            metadata: {name: api}
            spec:
              selector: {app: api}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: api}
            spec:
              host: api
              trafficPolicy:
            {{trafficPolicy}}
            """;
        var snapshot = SnapshotBuilder.Build(MeshConfig.Load(("api.yaml", yaml)), Pods, new Node { Id = "client-0.default", PodName = "client-0", Namespace = "default", Workload = "client", PodIp = "127.0.5.1" });
        return snapshot.Resources["cluster/" + Cluster].Resource.Cluster.Endpoints;
    }

    [Fact]
    public void Build_OutlierDetection_PrioritiesByLocalityCloseness()
    {
        var priorities = Priorities("""
                outlierDetection: {consecutive5xxErrors: 1}
            """);

        Assert.Equal(0u, priorities["127.0.1.1"]);
        Assert.Equal(1u, priorities["127.0.2.1"]);
        Assert.Equal(2u, priorities["127.0.3.1"]);
        Assert.Equal(2u, priorities["127.0.4.1"]);
    }

    [Fact]
    public void Build_NoOutlierDetection_NoPriorities()
    {
        var priorities = Priorities("""
                loadBalancer: {simple: ROUND_ROBIN}
            """);

        Assert.All(priorities.Values, p => Assert.Equal(0u, p));
    }

    [Fact]
    public void Build_FailoverRule_NamedRegionBeforeOthers()
    {
        var priorities = Priorities("""
                loadBalancer:
                  localityLbSetting:
                    failover:
                    - {from: us-west, to: eu-west}
                outlierDetection: {consecutive5xxErrors: 1}
            """);

        Assert.Equal(2u, priorities["127.0.4.1"]);
        Assert.Equal(3u, priorities["127.0.3.1"]);
    }

    [Fact]
    public void Build_FailoverPriorityLabels_MatchingPrefixRanks()
    {
        var priorities = Priorities("""
                loadBalancer:
                  localityLbSetting:
                    failoverPriority: [network, topology.kubernetes.io/region]
                outlierDetection: {consecutive5xxErrors: 1}
            """);

        Assert.Equal(0u, priorities["127.0.1.1"]);
        Assert.Equal(2u, priorities["127.0.2.1"]);
        Assert.Equal(1u, priorities["127.0.3.1"]);
        Assert.Equal(1u, priorities["127.0.4.1"]);
    }

    [Fact]
    public void Build_LocalityLbDisabled_NoPriorities()
    {
        var priorities = Priorities("""
                loadBalancer:
                  localityLbSetting: {enabled: false}
                outlierDetection: {consecutive5xxErrors: 1}
            """);

        Assert.All(priorities.Values, p => Assert.Equal(0u, p));
    }

    [Fact]
    public void Build_Distribute_WeightsSplitBetweenMatchingLocalities()
    {
        var endpoints = Endpoints("""
                loadBalancer:
                  localityLbSetting:
                    distribute:
                    - from: us-west/*
                      to:
                        "us-west/*": 80
                        "eu-west/a": 20
            """).ToDictionary(e => e.Address);

        Assert.Equal(40_000u, endpoints["127.0.1.1"].LocalityWeight);
        Assert.Equal(40_000u, endpoints["127.0.2.1"].LocalityWeight);
        Assert.Equal(20_000u, endpoints["127.0.4.1"].LocalityWeight);
        Assert.Equal(0u, endpoints["127.0.3.1"].LocalityWeight);
        Assert.Equal("us-east/a", endpoints["127.0.3.1"].Locality);
    }
}
