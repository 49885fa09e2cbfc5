using BenchmarkDotNet.Attributes;
using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.Forwarding.Faults;
using Heddle.Proxy.Forwarding.Mirroring;
using Heddle.Proxy.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heddle.Benchmarks.Micro.Proxy.Forwarding;

/// <summary>
/// The outbound decision up to the forwarder call: virtual host, route, what the route does before forwarding (fault
/// draws, CORS check, redirect/direct response), weighted cluster, endpoint, per-request transformer and mirror draws.
/// A plain route (Istio's default retries only) against a route with every action configured but none triggered:
/// a fault on a millionth of requests, CORS without an Origin, a mirror of a millionth, timeout, retries, headers, rewrite.
/// </summary>
[MemoryDiagnoser]
public class OutboundDecisionBenchmarks
{
    private readonly Random _random = new(42);
    private RouteTable _table = RouteTable.Empty;
    private RouteAnswers _answers = null!;
    private MirrorSender _mirrors = null!;
    private UpstreamClients _clients = null!;
    private DefaultHttpContext _plainRequest = null!;
    private DefaultHttpContext _featureRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        var resources = new Dictionary<string, Resource>(StringComparer.Ordinal);
        const string fqdn = "web.default.svc.cluster.local";
        const string v1 = "outbound|80|v1|" + fqdn;
        const string v2 = "outbound|80|v2|" + fqdn;
        resources.Add(SnapshotBuilder.ClusterPrefix + v1, ClusterResource(v1, 1));
        resources.Add(SnapshotBuilder.ClusterPrefix + v2, ClusterResource(v2, 2));

        var virtualHost = new VirtualHost { Name = fqdn + ":80", Port = 80 };
        virtualHost.Domains.Add("web:80");
        virtualHost.Domains.Add(fqdn + ":80");

        var featured = new Route { Name = "featured", TimeoutMs = 5000 };
        featured.Matches.Add(new RouteMatch { Uri = new StringMatch { Prefix = "/api/" } });
        featured.Clusters.Add(new WeightedCluster { Cluster = v1, Weight = 90 });
        featured.Clusters.Add(new WeightedCluster { Cluster = v2, Weight = 10 });
        featured.RetryPolicy = new RouteRetryPolicy { NumRetries = 3, RetryOn = { "5xx", "connect-failure" }, PerTryTimeoutMs = 2000 };
        featured.Fault = new RouteFault { DelayMs = 1000, DelayPerMillion = 1, AbortHttpStatus = 503, AbortPerMillion = 1 };
        featured.Cors = new RouteCorsPolicy { AllowOrigins = { new StringMatch { Exact = "https://example.com" } }, AllowMethods = "GET,POST" };
        featured.Mirrors.Add(new RouteMirror { Cluster = v2, PerMillion = 1 });
        featured.Rewrite = new RouteRewrite { UriPrefix = "/v2/" };
        featured.RequestHeaders = new HttpHeaderOperations { Set = { new HttpHeaderValue { Name = "x-route", Value = "featured" } } };
        featured.ResponseHeaders = new HttpHeaderOperations { Remove = { "server" } };
        virtualHost.Routes.Add(featured);

        var plain = new Route { Name = "plain", RetryPolicy = new RouteRetryPolicy { NumRetries = 2, RetryOn = { "connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes" }, RetriableStatusCodes = { 503 } } };
        plain.Clusters.Add(new WeightedCluster { Cluster = v1, Weight = 100 });
        virtualHost.Routes.Add(plain);
        resources.Add(SnapshotBuilder.VirtualHostPrefix + virtualHost.Name, new Resource { Name = SnapshotBuilder.VirtualHostPrefix + virtualHost.Name, VirtualHost = virtualHost });

        if (!SnapshotBuilder.TryBuild("1", resources, ProxySnapshot.Empty, new Random(1), out var snapshot, out var reason))
        {
            throw new InvalidOperationException(reason);
        }

        _table = snapshot.Routes;
        _answers = new RouteAnswers(new FaultInjector(_random, TimeProvider.System));
        _clients = new UpstreamClients(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        _mirrors = new MirrorSender(_clients, _random, NullLogger.Instance);
        _plainRequest = Request("/items/42");
        _featureRequest = Request("/api/items/42");
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    /// <summary>A route that only forwards: no per-request state.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<object?> PlainRoute() => DecideAsync(_plainRequest);

    /// <summary>Every action configured, none triggered.</summary>
    [Benchmark]
    public ValueTask<object?> AllActionsNotTriggered() => DecideAsync(_featureRequest);

    private async ValueTask<object?> DecideAsync(HttpContext context)
    {
        var request = context.Request;
        var authority = request.Host.Value!;
        var virtualHost = _table.Find(authority, 80)!;
        var route = virtualHost.Match(request)!;
        var actions = route.Actions;
        if (actions.ActsBeforeForwarding)
        {
            var (answered, _) = await _answers.RunAsync(context, virtualHost, route, authority).ConfigureAwait(false);
            if (answered)
            {
                return null;
            }
        }

        var index = route.Clusters.PickIndex(_random);
        var endpoint = route.Clusters.Clusters[index].LoadBalancer.Pick();
        var transformer = actions.NeedsRequestState ? RouteTransformer.Create(context, route, index) : null;
        if (actions.Mirrors.Length > 0)
        {
            _mirrors.Send(context, actions, transformer?.PathAndQuery);
        }

        return (object?)transformer ?? endpoint;
    }

    private static DefaultHttpContext Request(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("web:80");
        context.Request.Path = path;
        context.Request.Headers.UserAgent = "bench";
        return context;
    }

    private static Resource ClusterResource(string name, int subset)
    {
        var cluster = new Cluster { Name = name, Service = "web.default.svc.cluster.local", Port = 80, Protocol = Protocol.Http, LoadBalancer = LoadBalancerPolicy.LoadBalancerRoundRobin };
        for (var e = 0; e < 3; e++)
        {
            var address = $"10.{subset}.0.{e + 1}";
            cluster.Endpoints.Add(new Heddle.Discovery.V1.Endpoint { Address = address, Port = 8080, Sidecar = address + ":15006", Weight = 1 });
        }

        return new Resource { Name = SnapshotBuilder.ClusterPrefix + name, Cluster = cluster };
    }
}
