using BenchmarkDotNet.Attributes;
using Heddle.Discovery.V1;
using Heddle.Proxy.LoadBalancing;
using Heddle.Proxy.Upstreams;

namespace Heddle.Benchmarks.Micro.Proxy.LoadBalancing;

/// <summary>One endpoint pick per request, for each policy a cluster can name.</summary>
[MemoryDiagnoser]
public class LoadBalancerBenchmarks
{
    private ILoadBalancer _roundRobin = null!;
    private ILoadBalancer _random = null!;
    private ILoadBalancer _leastRequest = null!;

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
        _roundRobin = LoadBalancerFactory.Create(LoadBalancerPolicy.LoadBalancerRoundRobin, endpoints, random);
        _random = LoadBalancerFactory.Create(LoadBalancerPolicy.LoadBalancerRandom, endpoints, random);
        _leastRequest = LoadBalancerFactory.Create(LoadBalancerPolicy.LoadBalancerLeastRequest, endpoints, random);
    }

    [Benchmark(Baseline = true)]
    public object? RoundRobin() => _roundRobin.Pick();

    [Benchmark]
    public object? Random() => _random.Pick();

    /// <summary>Power of two choices, with the in-flight bookkeeping the forwarder does around each request.</summary>
    [Benchmark]
    public object? LeastRequest()
    {
        var endpoint = _leastRequest.Pick()!;
        endpoint.OnRequestStarted();
        endpoint.OnRequestFinished();
        return endpoint;
    }
}
