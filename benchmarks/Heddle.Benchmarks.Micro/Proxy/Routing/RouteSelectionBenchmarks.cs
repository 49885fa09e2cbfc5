using BenchmarkDotNet.Attributes;
using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Routing;
using Microsoft.AspNetCore.Http;

namespace Heddle.Benchmarks.Micro.Proxy.Routing;

/// <summary>
/// The outbound listener's routing decision: virtual host by authority, first matching route, weighted cluster.
/// 100 virtual hosts of 10 routes each; routes 0-8 need a path prefix and a header, route 9 takes the rest.
/// </summary>
[MemoryDiagnoser]
public class RouteSelectionBenchmarks
{
    private const int Hosts = 100;
    private const int RoutesPerHost = 10;

    private readonly Random _random = new(42);
    private readonly HeaderDictionary _noHeaders = new();
    private readonly HeaderDictionary _versionHeader = new() { ["x-version"] = "v8", ["user-agent"] = "bench" };
    private RouteTable _table = RouteTable.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var resources = new Dictionary<string, Resource>(StringComparer.Ordinal);
        for (var h = 0; h < Hosts; h++)
        {
            var fqdn = $"service-{h}.default.svc.cluster.local";
            var stable = $"outbound|80|v1|{fqdn}";
            var canary = $"outbound|80|v2|{fqdn}";
            resources.Add(SnapshotBuilder.ClusterPrefix + stable, ClusterResource(stable, fqdn, h, 1));
            resources.Add(SnapshotBuilder.ClusterPrefix + canary, ClusterResource(canary, fqdn, h, 2));

            var virtualHost = new VirtualHost { Name = fqdn + ":80", Port = 80 };
            virtualHost.Domains.Add($"service-{h}:80");
            virtualHost.Domains.Add($"service-{h}.default:80");
            virtualHost.Domains.Add($"service-{h}.default.svc:80");
            virtualHost.Domains.Add(fqdn + ":80");
            for (var r = 0; r < RoutesPerHost - 1; r++)
            {
                var route = new Route { Name = $"r{r}" };
                var match = new RouteMatch { Uri = new StringMatch { Prefix = $"/svc{r}/" } };
                match.Headers.Add(new HeaderMatch { Name = "x-version", Value = new StringMatch { Exact = $"v{r}" } });
                route.Matches.Add(match);
                route.Clusters.Add(new WeightedCluster { Cluster = canary, Weight = 100 });
                virtualHost.Routes.Add(route);
            }

            var fallback = new Route { Name = "default" };
            fallback.Clusters.Add(new WeightedCluster { Cluster = stable, Weight = 90 });
            fallback.Clusters.Add(new WeightedCluster { Cluster = canary, Weight = 10 });
            virtualHost.Routes.Add(fallback);
            resources.Add(SnapshotBuilder.VirtualHostPrefix + virtualHost.Name, new Resource { Name = SnapshotBuilder.VirtualHostPrefix + virtualHost.Name, VirtualHost = virtualHost });
        }

        if (!SnapshotBuilder.TryBuild("1", resources, ProxySnapshot.Empty, new Random(1), out var snapshot, out var reason))
        {
            throw new InvalidOperationException(reason);
        }

        _table = snapshot.Routes;
    }

    /// <summary>Short name with an explicit port; nine routes fail on their path prefix, the fallback takes the request.</summary>
    [Benchmark(Baseline = true)]
    public object? ShortHost_FallbackRoute() => Select("service-7:80", "/items/42", _noHeaders);

    /// <summary>Fully qualified name without a port (the default port is added on the stack); nine routes fail first.</summary>
    [Benchmark]
    public object? BareFqdn_FallbackRoute() => Select("service-99.default.svc.cluster.local", "/items/42", _noHeaders);

    /// <summary>Prefix and header match on the ninth route: eight prefix checks fail, then a header lookup.</summary>
    [Benchmark]
    public object? HeaderRoute() => Select("service-50.default:80", "/svc8/items", _versionHeader);

    /// <summary>An authority no virtual host serves (NR, or passthrough).</summary>
    [Benchmark]
    public object? UnknownHost() => _table.Find("unknown.example.com:80", 80);

    private object? Select(string authority, string path, IHeaderDictionary headers)
    {
        // What the outbound handler passes for "GET http://authority/path" (RouteRequest.From without the HttpRequest).
        var route = _table.Find(authority, 80)?.Match(new RouteRequest(path, headers, "GET", "http", ""));
        return route?.Clusters.Pick(_random).LoadBalancer.Pick();
    }

    private static Resource ClusterResource(string name, string service, int host, int subset)
    {
        var cluster = new Cluster { Name = name, Service = service, Port = 80, Protocol = Protocol.Http, LoadBalancer = LoadBalancerPolicy.LoadBalancerRoundRobin };
        for (var e = 0; e < 3; e++)
        {
            var address = $"10.{subset}.{host}.{e + 1}";
            cluster.Endpoints.Add(new Heddle.Discovery.V1.Endpoint { Address = address, Port = 8080, Sidecar = address + ":15006", Weight = 1 });
        }

        return new Resource { Name = SnapshotBuilder.ClusterPrefix + name, Cluster = cluster };
    }
}
