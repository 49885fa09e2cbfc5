using Heddle.Discovery.V1;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Routing;

public sealed class RouteMatchingTests
{
    private static readonly string V1 = ClusterName("web", 8000, "v1");
    private static readonly string V2 = ClusterName("web", 8000, "v2");

    private static CompiledVirtualHost Compile(params Route[] routes) =>
        TestSnapshots.Build("1", Cluster(V1), Cluster(V2), VirtualHost("web", 8000, routes)).Routes.VirtualHosts[0];

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return dictionary;
    }

    private static string? Pick(CompiledVirtualHost host, string path, HeaderDictionary? headers = null) =>
        host.Match(new RouteRequest(path, headers ?? Headers()))?.Clusters.Clusters[0].Name;

    [Fact]
    public void Route_HeaderMatch_PicksSubsetV2()
    {
        var host = Compile(Route(V2, HeaderExact("end-user", "jason")), Route(V1));

        Assert.Equal(V2, Pick(host, "/", Headers(("End-User", "jason"))));
        Assert.Equal(V1, Pick(host, "/", Headers(("end-user", "other"))));
        Assert.Equal(V1, Pick(host, "/"));
    }

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/api/", false)]
    [InlineData("/API", false)]
    public void UriExact_MatchesWholePathOnly(string path, bool matches)
    {
        var host = Compile(Route(V1, new RouteMatch { Uri = new StringMatch { Exact = "/api" } }));

        Assert.Equal(matches, Pick(host, path) is not null);
    }

    [Theory]
    [InlineData("/api/items", true)]
    [InlineData("/apix", true)]
    [InlineData("/ap", false)]
    public void UriPrefix_MatchesStartOfPath(string path, bool matches)
    {
        var host = Compile(Route(V1, UriPrefix("/api")));

        Assert.Equal(matches, Pick(host, path) is not null);
    }

    [Theory]
    [InlineData("/users/42", true)]
    [InlineData("/users/42/x", false)]
    [InlineData("/prefix/users/42", false)]
    public void UriRegex_MustMatchTheWholePath(string path, bool matches)
    {
        var host = Compile(Route(V1, UriRegex("/users/[0-9]+")));

        Assert.Equal(matches, Pick(host, path) is not null);
    }

    [Fact]
    public void HeaderPresence_And_Invert()
    {
        var present = new RouteMatch();
        present.Headers.Add(new HeaderMatch { Name = "x-debug" });
        var notCanary = new RouteMatch();
        notCanary.Headers.Add(new HeaderMatch { Name = "x-track", Value = new StringMatch { Prefix = "canary" }, Invert = true });
        var host = Compile(Route(V2, present), Route(V1, notCanary));

        Assert.Equal(V2, Pick(host, "/", Headers(("x-debug", "1"))));
        Assert.Equal(V1, Pick(host, "/", Headers(("x-track", "stable"))));
        Assert.Equal(V1, Pick(host, "/"));
        Assert.Null(Pick(host, "/", Headers(("x-track", "canary-7"))));
    }

    [Fact]
    public void HeaderRegex_MatchesWholeValue()
    {
        var match = new RouteMatch();
        match.Headers.Add(new HeaderMatch { Name = "x-user", Value = new StringMatch { Regex = "a+b" } });
        var host = Compile(Route(V1, match));

        Assert.NotNull(Pick(host, "/", Headers(("x-user", "aaab"))));
        Assert.Null(Pick(host, "/", Headers(("x-user", "aaabc"))));
    }

    [Fact]
    public void MatchConditions_AreAndedWithinAMatch_AndOredAcrossMatches()
    {
        var both = new RouteMatch { Uri = new StringMatch { Prefix = "/admin" } };
        both.Headers.Add(new HeaderMatch { Name = "x-role", Value = new StringMatch { Exact = "admin" } });
        var host = Compile(Route(V2, both, UriPrefix("/beta")), Route(V1));

        Assert.Equal(V2, Pick(host, "/admin", Headers(("x-role", "admin"))));
        Assert.Equal(V1, Pick(host, "/admin"));
        Assert.Equal(V2, Pick(host, "/beta/x"));
    }

    [Fact]
    public void MultipleHeaderValues_AreMatchedAsOneCommaSeparatedValue()
    {
        var host = Compile(Route(V2, HeaderExact("x-tag", "a,b")), Route(V1));

        Assert.Equal(V2, Pick(host, "/", Headers(("x-tag", "a"), ("x-tag", "b"))));
    }

    [Fact]
    public void MatchPickAndBalance_DoNotAllocate()
    {
        var host = Compile(
            Route(V2, HeaderExact("x-version", "v2")),
            Route(V1, UriRegex("/users/[0-9]+")),
            WeightedRoute((V1, 80), (V2, 20)));
        var headers = Headers(("x-version", "v1"), ("user-agent", "test"));
        var random = new Random(1);
        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Run()
        {
            host.Match(new RouteRequest("/users/42", headers))!.Clusters.Pick(random).LoadBalancer.Pick();
            host.Match(new RouteRequest("/other", headers))!.Clusters.Pick(random).LoadBalancer.Pick();
        }
    }

    [Fact]
    public void RequestConditions_MatchAndPick_DoNotAllocate()
    {
        var byMethodAndQuery = RequestMatchingTests.Query("user", new StringMatch { Regex = "[a-z]+" });
        byMethodAndQuery.Method = new StringMatch { Exact = "POST" };
        byMethodAndQuery.Headers.Add(new HeaderMatch { Name = "x-debug", Invert = true });
        byMethodAndQuery.Headers.Add(new HeaderMatch { Name = "x-tag", Value = new StringMatch { Regex = "a,b" } });
        var byAuthority = RequestMatchingTests.Query("debug", new StringMatch { Exact = "" });
        byAuthority.Authority = new StringMatch { Prefix = "web" };
        byAuthority.Scheme = new StringMatch { Exact = "http" };
        byAuthority.Uri = new StringMatch { Prefix = "/API" };
        byAuthority.IgnoreUriCase = true;
        var host = Compile(
            Route(V2, byMethodAndQuery),
            Route(V1, byAuthority),
            WeightedRoute((V1, 80), (V2, 20)));
        var post = RequestMatchingTests.Request("POST", "/x", "?a=1&user=jason", headers: [("user-agent", "test"), ("x-tag", "a"), ("x-tag", "b")]);
        var get = RequestMatchingTests.Request("GET", "/api/items", "?a=1&debug", host: "web.default:8000", headers: [("x-debug", "a"), ("x-debug", "b")]);
        var other = RequestMatchingTests.Request("GET", "/other", "?a=1&b=2&c");
        var random = new Random(1);
        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Run()
        {
            host.Match(post)!.Clusters.Pick(random).LoadBalancer.Pick();
            host.Match(get)!.Clusters.Pick(random).LoadBalancer.Pick();
            host.Match(other)!.Clusters.Pick(random).LoadBalancer.Pick();
        }
    }

    [Fact]
    public void MultipleHeaderValues_RegexAndLongValues_MatchTheJoinedValue()
    {
        var tags = new RouteMatch();
        tags.Headers.Add(new HeaderMatch { Name = "x-tag", Value = new StringMatch { Regex = "a,,b" } });
        var longMatch = new RouteMatch();
        longMatch.Headers.Add(new HeaderMatch { Name = "x-long", Value = new StringMatch { Exact = new string('x', 600) + "," + new string('y', 600) } });
        var host = Compile(Route(V2, tags, longMatch), Route(V1));

        Assert.Equal(V2, Pick(host, "/", Headers(("x-tag", "a"), ("x-tag", ""), ("x-tag", "b"))));
        Assert.Equal(V2, Pick(host, "/", Headers(("x-long", new string('x', 600)), ("x-long", new string('y', 600)))));
        Assert.Equal(V1, Pick(host, "/", Headers(("x-long", new string('x', 600)), ("x-long", "y"))));
    }
}
