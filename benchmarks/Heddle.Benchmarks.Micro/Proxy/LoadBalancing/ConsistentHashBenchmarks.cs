using BenchmarkDotNet.Attributes;
using Heddle.Discovery.V1;
using Heddle.Proxy.LoadBalancing.ConsistentHash;
using Heddle.Proxy.Upstreams;
using Microsoft.AspNetCore.Http;

namespace Heddle.Benchmarks.Micro.Proxy.LoadBalancing;

/// <summary>One consistent-hash pick per request: read the x-user header, hash it, look it up in the ring (1,024
/// points, binary search) or the Maglev table (65,537 entries, one index).</summary>
[MemoryDiagnoser]
public class ConsistentHashBenchmarks
{
    private ConsistentHashLoadBalancer _ring = null!;
    private ConsistentHashLoadBalancer _maglev = null!;
    private DefaultHttpContext _context = null!;

    [Params(3, 100)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var endpoints = new UpstreamEndpoint[Endpoints];
        for (var i = 0; i < endpoints.Length; i++)
        {
            var address = $"10.0.{i / 250}.{(i % 250) + 1}";
            endpoints[i] = new UpstreamEndpoint(address, 8080, address + ":15006", 1, UpstreamProtocol.Http1);
        }

        var random = new Random(42);
        _ring = new ConsistentHashLoadBalancer(new ConsistentHashPolicy { HeaderName = "x-user", Table = ConsistentHashTable.RingHash, TableSize = 1024 }, endpoints, random);
        _maglev = new ConsistentHashLoadBalancer(new ConsistentHashPolicy { HeaderName = "x-user", Table = ConsistentHashTable.Maglev, TableSize = 65537 }, endpoints, random);
        _context = new DefaultHttpContext();
        _context.Request.Headers["x-user"] = "jason-7f3a9c";
    }

    [Benchmark(Baseline = true)]
    public object? RingHash() => _ring.Pick(_context);

    [Benchmark]
    public object? Maglev() => _maglev.Pick(_context);
}
