using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Snapshots;

/// <summary>Route actions in a whole snapshot: answered routes without clusters, mirror clusters present, default retries.</summary>
public sealed class RouteBuilderActionsTests
{
    private const string Routes = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts: [web]
          http:
          - match:
            - uri: {exact: /old}
            redirect: {uri: /new}
          - match:
            - uri: {prefix: /gone}
            directResponse: {status: 410}
          - route:
            - destination: {host: web, subset: v1}
            mirror: {host: web, subset: v2}
            timeout: 2s
            retries: {attempts: 0}
        """;

    private static readonly ImmutableArray<ConnectedPod> Pods =
    [
        new("web-v1-0.default", "web-v1-0", "default", "web-v1", "127.0.1.1", "default", WorkloadHealth.Healthy),
        new("web-v2-0.default", "web-v2-0", "default", "web-v2", "127.0.2.1", "default", WorkloadHealth.Healthy),
        new("client-0.default", "client-0", "default", "client", "127.0.3.1", "default", WorkloadHealth.Healthy),
    ];

    private static readonly Node Client = new() { Id = "client-0.default", PodName = "client-0", Namespace = "default", Workload = "client", PodIp = "127.0.3.1" };

    [Fact]
    public void Build_RedirectDirectResponseAndMirror_AreInTheSnapshot()
    {
        var mesh = MeshConfig.Load(("web.yaml", WebWithoutRoutes()), ("routes.yaml", Routes));

        var snapshot = SnapshotBuilder.Build(mesh, Pods, Client);
        var routes = snapshot.Resources["vhost/web.default.svc.cluster.local:8000"].Resource.VirtualHost.Routes;

        Assert.Equal("/new", routes[0].Redirect.Path);
        Assert.Empty(routes[0].Clusters);
        Assert.Equal(410u, routes[1].DirectResponse.Status);
        Assert.Empty(routes[1].Clusters);
        var forward = routes[2];
        Assert.Equal(2000u, forward.TimeoutMs);
        Assert.Null(forward.RetryPolicy);
        var mirror = Assert.Single(forward.Mirrors);
        Assert.Equal("outbound|8000|v2|web.default.svc.cluster.local", mirror.Cluster);
        Assert.True(snapshot.Resources.ContainsKey("cluster/" + mirror.Cluster));
    }

    [Fact]
    public void Build_ServiceWithoutVirtualService_DefaultRouteCarriesIstioDefaultRetries()
    {
        var mesh = MeshConfig.Load(("web.yaml", WebWithoutRoutes()));

        var snapshot = SnapshotBuilder.Build(mesh, Pods, Client);
        var route = Assert.Single(snapshot.Resources["vhost/web.default.svc.cluster.local:8000"].Resource.VirtualHost.Routes);

        Assert.Equal(2u, route.RetryPolicy.NumRetries);
        Assert.Equal([503u], route.RetryPolicy.RetriableStatusCodes);
    }

    /// <summary>The shared web mesh without its VirtualService.</summary>
    private static string WebWithoutRoutes()
    {
        var documents = MeshConfig.Web.Split("\n---\n");
        return string.Join("\n---\n", documents.Where(d => !d.Contains("kind: VirtualService", StringComparison.Ordinal)));
    }
}
