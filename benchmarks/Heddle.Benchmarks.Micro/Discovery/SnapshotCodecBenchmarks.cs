using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Heddle.Discovery.V1;

namespace Heddle.Benchmarks.Micro.Discovery;

/// <summary>
/// Encoding (control plane) and decoding (proxy) of a full discovery snapshot: what a config push costs as the mesh grows.
/// </summary>
[MemoryDiagnoser]
public class SnapshotCodecBenchmarks
{
    private DiscoveryResponse _snapshot = new();
    private byte[] _encoded = [];

    /// <summary>Services in the snapshot; each brings one cluster with three endpoints and one virtual host with two routes.</summary>
    [Params(10, 200)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = BuildSnapshot(Services);
        _encoded = _snapshot.ToByteArray();
    }

    [Benchmark]
    public byte[] Encode() => _snapshot.ToByteArray();

    [Benchmark]
    public DiscoveryResponse Decode() => DiscoveryResponse.Parser.ParseFrom(_encoded);

    private static DiscoveryResponse BuildSnapshot(int services)
    {
        var response = new DiscoveryResponse { Version = "42", Nonce = "n-42", BaseVersion = string.Empty };
        for (int i = 0; i < services; i++)
        {
            string host = $"service-{i}.default.svc.cluster.local";
            string clusterName = $"outbound|8080||{host}";
            var cluster = new Cluster
            {
                Name = clusterName,
                Service = host,
                Port = 8080,
                Protocol = Protocol.Http,
                LoadBalancer = LoadBalancerPolicy.LoadBalancerRoundRobin,
            };
            for (int e = 0; e < 3; e++)
            {
                var endpoint = new Endpoint { Address = $"10.{i / 250}.{i % 250}.{e + 1}", Port = 8080, Sidecar = $"10.{i / 250}.{i % 250}.{e + 1}:15006", Weight = 1 };
                endpoint.Labels.Add("app", $"service-{i}");
                endpoint.Labels.Add("version", e == 0 ? "v2" : "v1");
                cluster.Endpoints.Add(endpoint);
            }

            var virtualHost = new VirtualHost { Name = $"{host}:8080", Port = 8080 };
            virtualHost.Domains.Add($"service-{i}:8080");
            virtualHost.Domains.Add($"service-{i}.default:8080");
            virtualHost.Domains.Add($"service-{i}.default.svc:8080");
            virtualHost.Domains.Add($"{host}:8080");
            var headerRoute = new Route { Name = "canary" };
            var match = new RouteMatch { Uri = new StringMatch { Prefix = "/api/" } };
            match.Headers.Add(new HeaderMatch { Name = "x-canary", Value = new StringMatch { Exact = "true" } });
            headerRoute.Matches.Add(match);
            headerRoute.Clusters.Add(new WeightedCluster { Cluster = clusterName, Weight = 100 });
            var defaultRoute = new Route { Name = "default" };
            defaultRoute.Clusters.Add(new WeightedCluster { Cluster = clusterName, Weight = 80 });
            defaultRoute.Clusters.Add(new WeightedCluster { Cluster = clusterName, Weight = 20 });
            virtualHost.Routes.Add(headerRoute);
            virtualHost.Routes.Add(defaultRoute);

            response.Upserted.Add(new Resource { Name = $"cluster/{clusterName}", Cluster = cluster });
            response.Upserted.Add(new Resource { Name = $"vhost/{virtualHost.Name}", VirtualHost = virtualHost });
        }

        return response;
    }
}
