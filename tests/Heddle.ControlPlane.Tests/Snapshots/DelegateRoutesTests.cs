using System.Collections.Immutable;
using Heddle.Config.Analysis;
using Heddle.Config.Model;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;
using ConfigStringMatch = Heddle.Config.Model.StringMatch;

namespace Heddle.ControlPlane.Tests.Snapshots;

/// <summary>VirtualService delegation: a root route's delegate contributes its routes under the root's match.</summary>
public sealed class DelegateRoutesTests
{
    private const string Routes = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts: [web]
          http:
          - name: api
            match:
            - uri: {prefix: /api}
              headers:
                end-user: {exact: jason}
            timeout: 3s
            delegate:
              name: web-api
              namespace: team
          - route:
            - destination: {host: web, subset: v1}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web-api
          namespace: team
        spec:
          http:
          - name: v2
            match:
            - uri: {prefix: /api/v2}
            route:
            - destination: {host: web.default.svc.cluster.local, subset: v2}
          - name: elsewhere
            match:
            - uri: {prefix: /other}
            route:
            - destination: {host: web.default.svc.cluster.local, subset: v2}
          - name: rest
            timeout: 1s
            route:
            - destination: {host: web.default.svc.cluster.local, subset: v1}
        """;

    private static readonly ImmutableArray<ConnectedPod> Pods =
    [
        new("web-v1-0.default", "web-v1-0", "default", "web-v1", "127.0.1.1", "default", WorkloadHealth.Healthy),
        new("web-v2-0.default", "web-v2-0", "default", "web-v2", "127.0.2.1", "default", WorkloadHealth.Healthy),
        new("client-0.default", "client-0", "default", "client", "127.0.3.1", "default", WorkloadHealth.Healthy),
    ];

    private static readonly Node Client = new() { Id = "client-0.default", PodName = "client-0", Namespace = "default", Workload = "client", PodIp = "127.0.3.1" };

    [Fact]
    public void Build_RootRouteDelegates_DelegateRoutesMergedUnderRootMatch()
    {
        var routes = RoutesOf(Routes);

        // "elsewhere" (/other is not under /api) conflicts with the root match and is dropped.
        Assert.Equal(["default/web/api/team/web-api/v2", "default/web/api/team/web-api/rest", "default/web/1"], routes.Select(r => r.Name));

        var v2 = routes[0];
        var match = Assert.Single(v2.Matches);
        Assert.Equal("/api/v2", match.Uri.Prefix);
        var header = Assert.Single(match.Headers);
        Assert.Equal(("end-user", "jason"), (header.Name, header.Value.Exact));
        Assert.Equal(3000u, v2.TimeoutMs);
        Assert.Equal("outbound|8000|v2|web.default.svc.cluster.local", Assert.Single(v2.Clusters).Cluster);

        // A delegate route without match takes the root's; its own timeout wins over the root's.
        var rest = routes[1];
        Assert.Equal("/api", Assert.Single(rest.Matches).Uri.Prefix);
        Assert.Equal("jason", Assert.Single(rest.Matches[0].Headers).Value.Exact);
        Assert.Equal(1000u, rest.TimeoutMs);
        Assert.Equal("outbound|8000|v1|web.default.svc.cluster.local", Assert.Single(rest.Clusters).Cluster);
    }

    [Fact]
    public void Build_DelegateMissing_RootRouteContributesNothing()
    {
        var routes = RoutesOf(Routes.Split("\n---\n")[0]);

        Assert.Equal(["default/web/1"], routes.Select(r => r.Name));
    }

    [Fact]
    public void Build_DelegateNotExportedToRootNamespace_RootRouteContributesNothing()
    {
        var routes = RoutesOf(Routes.Replace("  namespace: team\nspec:\n", "  namespace: team\nspec:\n  exportTo: [\".\"]\n", StringComparison.Ordinal));

        Assert.Equal(["default/web/1"], routes.Select(r => r.Name));
    }

    [Theory]
    [InlineData("/api", null, "/api/v1", null, false)]
    [InlineData("/api", null, "/other", null, true)]
    [InlineData("/api", null, null, "/api/exact", false)]
    [InlineData("/api", null, null, "/elsewhere", true)]
    [InlineData(null, "/a", null, "/a", false)]
    [InlineData(null, "/a", null, "/b", true)]
    [InlineData(null, "/a", "/a", null, true)]
    public void MergeMatches_UriConditions_ConflictAsIstioDocuments(string? rootPrefix, string? rootExact, string? leafPrefix, string? leafExact, bool conflict)
    {
        var root = new HttpMatchRequest { Uri = new ConfigStringMatch { Prefix = rootPrefix, Exact = rootExact } };
        var leaf = new HttpMatchRequest { Uri = new ConfigStringMatch { Prefix = leafPrefix, Exact = leafExact } };

        var merged = DelegateMerge.MergeMatches([root], [leaf]);

        Assert.Equal(conflict, merged is null);
    }

    [Fact]
    public void MergeMatches_RegexAgainstPrefix_Conflicts()
    {
        var root = new HttpMatchRequest { Uri = new ConfigStringMatch { Regex = "/a.*" } };
        var leaf = new HttpMatchRequest { Uri = new ConfigStringMatch { Prefix = "/a" } };

        Assert.Null(DelegateMerge.MergeMatches([root], [leaf]));
    }

    [Fact]
    public void MergeMatches_RootMethodAndLeafHeader_BothConditionsKept()
    {
        var root = new HttpMatchRequest { Method = new ConfigStringMatch { Exact = "GET" } };
        var leaf = new HttpMatchRequest { Headers = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("x-v", new ConfigStringMatch { Exact = "2" })]) };

        var merged = Assert.Single(DelegateMerge.MergeMatches([root], [leaf])!.Value);

        Assert.Equal("GET", merged.Method!.Exact);
        Assert.Equal("2", merged.Headers["x-v"].Exact);
    }

    [Fact]
    public void MergeMatches_TwoRootAlternatives_EachNarrowedByTheLeaf()
    {
        var root = ImmutableArray.Create(
            new HttpMatchRequest { Uri = new ConfigStringMatch { Prefix = "/a" } },
            new HttpMatchRequest { Method = new ConfigStringMatch { Exact = "POST" } });
        var leaf = new HttpMatchRequest { Uri = new ConfigStringMatch { Prefix = "/a/b" } };

        var merged = DelegateMerge.MergeMatches(root, [leaf])!.Value;

        Assert.Equal(2, merged.Length);
        Assert.Equal("/a/b", merged[0].Uri!.Prefix);
        Assert.Equal(("/a/b", "POST"), (merged[1].Uri!.Prefix, merged[1].Method!.Exact));
    }

    private static Google.Protobuf.Collections.RepeatedField<Route> RoutesOf(string routes)
    {
        var documents = MeshConfig.Web.Split("\n---\n");
        var web = string.Join("\n---\n", documents.Where(d => !d.Contains("kind: VirtualService", StringComparison.Ordinal)));
        var mesh = MeshConfig.Load(("web.yaml", web), ("routes.yaml", routes));
        var snapshot = SnapshotBuilder.Build(mesh, Pods, Client);
        return snapshot.Resources["vhost/web.default.svc.cluster.local:8000"].Resource.VirtualHost.Routes;
    }
}
