using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.LoadBalancing;
using Heddle.Proxy.LoadBalancing.ConsistentHash;
using Heddle.Proxy.Upstreams;
using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Tests.LoadBalancing;

public sealed class ConsistentHashLoadBalancerTests
{
    private static UpstreamEndpoint[] Endpoints(int count) =>
        Enumerable.Range(1, count).Select(i => new UpstreamEndpoint($"10.0.0.{i}", 8080, null, 0, UpstreamProtocol.Http1)).ToArray();

    private static ConsistentHashPolicy Header(ConsistentHashTable table = ConsistentHashTable.RingHash, ulong size = 1024) =>
        new() { HeaderName = "x-user", Table = table, TableSize = size };

    private static DefaultHttpContext Request(string? user = null, string? cookie = null, string? query = null)
    {
        var context = new DefaultHttpContext();
        if (user is not null)
        {
            context.Request.Headers["x-user"] = user;
        }

        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }

        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }

        return context;
    }

    [Theory]
    [InlineData(ConsistentHashTable.RingHash)]
    [InlineData(ConsistentHashTable.Maglev)]
    public void Pick_SameHeaderValue_AlwaysSameEndpoint(ConsistentHashTable table)
    {
        var balancer = new ConsistentHashLoadBalancer(Header(table, table == ConsistentHashTable.Maglev ? 65537UL : 1024UL), Endpoints(5), new Random(1));

        for (var user = 0; user < 50; user++)
        {
            var first = balancer.Pick(Request($"user-{user}"));
            Assert.All(Enumerable.Range(0, 10), _ => Assert.Same(first, balancer.Pick(Request($"user-{user}"))));
        }
    }

    [Theory]
    [InlineData(ConsistentHashTable.RingHash, 1024UL)]
    [InlineData(ConsistentHashTable.Maglev, 65537UL)]
    public void Pick_ManyKeys_SpreadOverEveryEndpointWithinTenPoints(ConsistentHashTable table, ulong size)
    {
        var endpoints = Endpoints(4);
        var balancer = new ConsistentHashLoadBalancer(Header(table, size), endpoints, new Random(1));

        var counts = Enumerable.Range(0, 4000).Select(i => balancer.Pick(Request($"user-{i}"))!).GroupBy(e => e).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 600, 1400));
    }

    [Fact]
    public void Pick_EndpointRemoved_OnlyItsKeysMove()
    {
        var endpoints = Endpoints(5);
        var before = new ConsistentHashLoadBalancer(Header(ConsistentHashTable.Maglev, 65537), endpoints, new Random(1));
        var after = new ConsistentHashLoadBalancer(Header(ConsistentHashTable.Maglev, 65537), endpoints[..4], new Random(1));

        var moved = 0;
        for (var i = 0; i < 2000; i++)
        {
            var a = before.Pick(Request($"user-{i}"))!;
            var b = after.Pick(Request($"user-{i}"))!;
            if (a != endpoints[4] && a != b)
            {
                moved++;
            }
        }

        // Maglev promises minimal disruption, not none: a few percent of the other keys may move.
        Assert.InRange(moved, 0, 2000 * 5 / 100);
    }

    [Fact]
    public void Pick_EjectedEndpoint_ItsKeysGoElsewhereOthersStay()
    {
        var endpoints = Endpoints(3);
        var balancer = new ConsistentHashLoadBalancer(Header(), endpoints, new Random(1));
        var chosen = Enumerable.Range(0, 300).Select(i => balancer.Pick(Request($"u{i}"))!).ToArray();

        endpoints[0].SetEjected(true);

        for (var i = 0; i < chosen.Length; i++)
        {
            var now = balancer.Pick(Request($"u{i}"));
            Assert.NotSame(endpoints[0], now);
            if (chosen[i] != endpoints[0])
            {
                Assert.Same(chosen[i], now);
            }
        }
    }

    [Fact]
    public void Pick_CookieWithTtlMissing_IssuesCookieThatLeadsToTheSameEndpoint()
    {
        var policy = new ConsistentHashPolicy { Cookie = new ConsistentHashCookie { Name = "session", Path = "/", TtlSeconds = 60 }, TableSize = 1024 };
        var balancer = new ConsistentHashLoadBalancer(policy, Endpoints(5), new Random(4));
        var first = Request();

        var endpoint = balancer.Pick(first);

        var setCookie = first.Response.Headers.SetCookie.ToString();
        Assert.Matches("^session=\"[0-9a-f]{16}\"; Max-Age=60; Path=/; HttpOnly$", setCookie);
        var cookie = setCookie[..setCookie.IndexOf(';')];
        for (var i = 0; i < 10; i++)
        {
            var next = Request(cookie: "other=1; " + cookie);
            Assert.Same(endpoint, balancer.Pick(next));
            Assert.Equal(0, next.Response.Headers.SetCookie.Count);
        }
    }

    [Fact]
    public void Pick_CookieWithAttributes_IssuedWithThem()
    {
        var cookie = new ConsistentHashCookie { Name = "session", TtlSeconds = 0 };
        cookie.Attributes.Add("SameSite=Strict");
        var balancer = new ConsistentHashLoadBalancer(new ConsistentHashPolicy { Cookie = cookie, TableSize = 64 }, Endpoints(2), new Random(4));
        var request = Request();

        balancer.Pick(request);

        Assert.Matches("^session=\"[0-9a-f]{16}\"; SameSite=Strict; HttpOnly$", request.Response.Headers.SetCookie.ToString());
    }

    [Fact]
    public void Pick_CookieWithoutTtl_NothingIssued()
    {
        var policy = new ConsistentHashPolicy { Cookie = new ConsistentHashCookie { Name = "session" }, TableSize = 64 };
        var balancer = new ConsistentHashLoadBalancer(policy, Endpoints(2), new Random(4));
        var request = Request();

        Assert.NotNull(balancer.Pick(request));
        Assert.Equal(0, request.Response.Headers.SetCookie.Count);
    }

    [Fact]
    public void Pick_QueryParameter_HashesItsValue()
    {
        var policy = new ConsistentHashPolicy { QueryParameterName = "user", TableSize = 1024 };
        var balancer = new ConsistentHashLoadBalancer(policy, Endpoints(8), new Random(4));

        var picks = Enumerable.Range(0, 20).Select(_ => balancer.Pick(Request(query: "?a=1&user=jason&b")))
            .Distinct().Count();

        Assert.Equal(1, picks);
    }

    [Fact]
    public void Pick_SourceIp_SameClientSameEndpoint()
    {
        var policy = new ConsistentHashPolicy { SourceIp = true, TableSize = 1024 };
        var balancer = new ConsistentHashLoadBalancer(policy, Endpoints(8), new Random(4));

        var picks = Enumerable.Range(0, 20).Select(_ =>
        {
            var context = Request();
            context.Connection.RemoteIpAddress = IPAddress.Parse("127.0.5.1");
            return balancer.Pick(context);
        }).Distinct().Count();

        Assert.Equal(1, picks);
    }

    [Theory]
    [InlineData("a=1; session=\"abc\"; b=2", "session", "abc")]
    [InlineData("session=xyz", "session", "xyz")]
    [InlineData("sessions=1; session = v ", "session", "v")]
    public void TryFindCookie_FindsTheNamedCookie(string header, string name, string expected)
    {
        Assert.True(HashKey.TryFindCookie(header, name, out var value));
        Assert.Equal(expected, value.ToString());
    }

    [Fact]
    public void Pick_HeaderKey_DoesNotAllocate()
    {
        var balancer = new ConsistentHashLoadBalancer(Header(), Endpoints(5), new Random(1));
        var context = Request("jason");
        balancer.Pick(context);
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            balancer.Pick(context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Factory_ClusterWithConsistentHash_HashesInsteadOfItsSimplePolicy()
    {
        var cluster = new Cluster { Name = "c", LoadBalancer = LoadBalancerPolicy.LoadBalancerRandom, ConsistentHash = Header() };

        Assert.IsType<ConsistentHashLoadBalancer>(LoadBalancerFactory.Create(cluster, Endpoints(2), new Random(1)));
    }

    [Fact]
    public void SimpleBalancers_EjectedEndpoint_NeverPicked()
    {
        var endpoints = Endpoints(3);
        endpoints[1].SetEjected(true);
        foreach (var policy in new[] { LoadBalancerPolicy.LoadBalancerRoundRobin, LoadBalancerPolicy.LoadBalancerRandom, LoadBalancerPolicy.LoadBalancerLeastRequest })
        {
            var balancer = LoadBalancerFactory.Create(policy, endpoints, new Random(7));
            var picks = Enumerable.Range(0, 300).Select(_ => balancer.Pick()).ToHashSet();
            Assert.Equal(new HashSet<UpstreamEndpoint?> { endpoints[0], endpoints[2] }, picks);
        }
    }

    [Fact]
    public void SimpleBalancers_AllEjected_PickNothing()
    {
        var endpoints = Endpoints(2);
        endpoints[0].SetEjected(true);
        endpoints[1].SetEjected(true);

        Assert.Null(new RoundRobinLoadBalancer(endpoints, new Random(1)).Pick());
        Assert.Null(new LeastRequestLoadBalancer(endpoints, new Random(1)).Pick());
        Assert.Null(new RandomLoadBalancer(endpoints, new Random(1)).Pick());
    }
}
