using System.Collections.Immutable;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Snapshots;

/// <summary>Which AuthorizationPolicies reach which proxy: the root namespace for the mesh, a namespace for its
/// workloads, a selector for the workloads with its labels.</summary>
public sealed class AuthorizationBuilderTests
{
    private const string Policies = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: mesh-deny-admin, namespace: istio-system}
        spec:
          action: DENY
          rules:
          - to:
            - operation: {paths: ["/admin*"]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: web-v2-only-get, namespace: default}
        spec:
          selector:
            matchLabels: {app: web, version: v2}
          rules:
          - to:
            - operation: {methods: ["GET"]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: shop-allow-nothing, namespace: shop}
        spec: {}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: gateway-policy, namespace: default}
        spec:
          targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: ingress}]
          rules: [{}]
        """;

    private static readonly ImmutableArray<ConnectedPod> Pods =
    [
        new("web-v1-0.default", "web-v1-0", "default", "web-v1", "127.0.1.1", "default", WorkloadHealth.Healthy),
        new("web-v2-0.default", "web-v2-0", "default", "web-v2", "127.0.2.1", "default", WorkloadHealth.Healthy),
        new("api-0.shop", "api-0", "shop", "api", "127.0.4.1", "default", WorkloadHealth.Healthy),
    ];

    private static string[] PolicyNamesFor(string podName, string ns, string workload)
    {
        var config = MeshConfig.Load(("web.yaml", MeshConfig.Web), ("shop.yaml", MeshConfig.Shop), ("policies.yaml", Policies));
        var snapshot = SnapshotBuilder.Build(config, Pods, new Node { Id = $"{podName}.{ns}", PodName = podName, Namespace = ns, Workload = workload });
        return snapshot.Resources.TryGetValue("authorization", out var resource)
            ? [.. resource.Resource.Authorization.Policies.Select(p => p.Name)]
            : [];
    }

    [Fact]
    public void Build_WorkloadWithoutMatchingSelector_GetsOnlyMeshWidePolicies()
    {
        Assert.Equal(["istio-system.mesh-deny-admin"], PolicyNamesFor("web-v1-0", "default", "web-v1"));
    }

    [Fact]
    public void Build_WorkloadTheSelectorNames_GetsItsPolicyToo()
    {
        Assert.Equal(["istio-system.mesh-deny-admin", "default.web-v2-only-get"], PolicyNamesFor("web-v2-0", "default", "web-v2"));
    }

    [Fact]
    public void Build_NamespaceWidePolicy_ReachesEveryWorkloadOfThatNamespaceOnly()
    {
        Assert.Equal(["istio-system.mesh-deny-admin", "shop.shop-allow-nothing"], PolicyNamesFor("api-0", "shop", "api"));
    }

    [Fact]
    public void Build_PolicyTranslation_KeepsActionAndRules()
    {
        var config = MeshConfig.Load(("web.yaml", MeshConfig.Web), ("policies.yaml", Policies));
        var snapshot = SnapshotBuilder.Build(config, Pods, new Node { Id = "web-v2-0.default", PodName = "web-v2-0", Namespace = "default", Workload = "web-v2" });
        var policies = snapshot.Resources["authorization"].Resource.Authorization.Policies;

        Assert.Equal(AuthorizationPolicy.Types.Action.Deny, policies[0].Action);
        Assert.Equal("/admin*", policies[0].Rules[0].To[0].Paths[0]);
        Assert.Equal(AuthorizationPolicy.Types.Action.Allow, policies[1].Action);
        Assert.Equal("GET", policies[1].Rules[0].To[0].Methods[0]);
    }
}
