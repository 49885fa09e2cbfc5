using System.Collections.Immutable;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Snapshots;

/// <summary>A CUSTOM policy's provider: the mesh config's envoyExtAuthzHttp entry, its service resolved to an endpoint.</summary>
public sealed class AuthorizationProvidersTests
{
    private const string Mesh = """
        apiVersion: heddle.dev/v1alpha1
        kind: MeshConfig
        metadata: {name: mesh, namespace: istio-system}
        spec:
          extensionProviders:
          - name: authz
            envoyExtAuthzHttp:
              service: api.shop.svc.cluster.local
              port: "9000"
              timeout: 0.5s
              pathPrefix: /check
              failOpen: true
              statusOnError: "503"
              includeRequestHeadersInCheck: ["X-Ext-Authz", "x-user-*"]
              includeAdditionalHeadersInCheck: {x-from: mesh}
              headersToUpstreamOnAllow: ["x-user"]
              headersToDownstreamOnDeny: ["x-reason"]
          - name: elsewhere
            envoyExtAuthzHttp: {service: nowhere.default.svc.cluster.local, port: 80}
          - name: grpc
            envoyExtAuthzGrpc: {service: api.shop.svc.cluster.local, port: 9000}
        """;

    private static readonly ImmutableArray<ConnectedPod> Pods =
    [
        new("web-v1-0.default", "web-v1-0", "default", "web-v1", "127.0.1.1", "default", WorkloadHealth.Healthy),
        new("api-0.shop", "api-0", "shop", "api", "127.0.4.1", "default", WorkloadHealth.Healthy),
    ];

    private static AuthorizationProvider ProviderFor(string providerName)
    {
        var policy = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ext, namespace: default}
            spec:
              action: CUSTOM
              provider: {name: PROVIDER}
              rules: [{to: [{operation: {paths: ["/headers"]}}]}]
            """.Replace("PROVIDER", providerName, StringComparison.Ordinal);
        var config = MeshConfig.Load(("web.yaml", MeshConfig.Web), ("shop.yaml", MeshConfig.Shop), ("mesh.yaml", Mesh), ("policy.yaml", policy));
        var snapshot = SnapshotBuilder.Build(config, Pods, new Node { Id = "web-v1-0.default", PodName = "web-v1-0", Namespace = "default", Workload = "web-v1" });
        var wire = Assert.Single(snapshot.Resources["authorization"].Resource.Authorization.Policies);
        Assert.Equal(Heddle.Discovery.V1.AuthorizationPolicy.Types.Action.Custom, wire.Action);
        return wire.Provider;
    }

    [Fact]
    public void Resolve_HttpProvider_CarriesItsSettingsAndAnEndpointAddress()
    {
        var provider = ProviderFor("authz");

        Assert.Equal("", provider.Error);
        Assert.Equal("http://127.0.4.1:9000", provider.Address);
        Assert.Equal("/check", provider.PathPrefix);
        Assert.Equal(500u, provider.TimeoutMs);
        Assert.True(provider.FailOpen);
        Assert.Equal(503u, provider.StatusOnError);
        Assert.Equal(["x-ext-authz", "x-user-*"], provider.IncludeRequestHeaders);
        Assert.Equal("mesh", provider.AdditionalHeaders["x-from"]);
        Assert.Equal(["x-user"], provider.HeadersToUpstream);
        Assert.Equal(["x-reason"], provider.HeadersToDownstream);
    }

    [Theory]
    [InlineData("missing", "no extension provider \"missing\"")]
    [InlineData("grpc", "is not an envoyExtAuthzHttp provider")]
    [InlineData("elsewhere", "no service nowhere.default.svc.cluster.local")]
    public void Resolve_UnusableProvider_HasNoAddressAndSaysWhy(string name, string error)
    {
        var provider = ProviderFor(name);

        Assert.Equal("", provider.Address);
        Assert.Contains(error, provider.Error, StringComparison.Ordinal);
    }
}
