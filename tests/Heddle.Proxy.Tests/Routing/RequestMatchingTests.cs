using Heddle.Discovery.V1;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Routing;

/// <summary>Istio's HTTPMatchRequest conditions on the whole request: method, scheme, authority, query parameters,
/// ignoreUriCase, withoutHeaders; and how alternatives and routes combine.</summary>
public sealed class RequestMatchingTests
{
    private static readonly string V1 = ClusterName("web", 8000, "v1");
    private static readonly string V2 = ClusterName("web", 8000, "v2");

    private static CompiledVirtualHost Compile(params Route[] routes) =>
        TestSnapshots.Build("1", Cluster(V1), Cluster(V2), VirtualHost("web", 8000, routes)).Routes.VirtualHosts[0];

    /// <summary>A request as Kestrel presents it: the path without the query, the raw query string, Host as sent.</summary>
    internal static HttpRequest Request(string method = "GET", string path = "/", string query = "", string scheme = "http", string host = "web:8000", params (string Name, string Value)[] headers)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = method;
        request.Scheme = scheme;
        request.Path = path;
        request.QueryString = new QueryString(query);
        request.Host = new HostString(host);
        foreach (var (name, value) in headers)
        {
            request.Headers.Append(name, value);
        }

        return request;
    }

    private static string? Pick(CompiledVirtualHost host, HttpRequest request) => host.Match(request)?.Clusters.Clusters[0].Name;

    /// <summary>Matches the first route only when the request meets <paramref name="match"/>; everything else falls to v1.</summary>
    private static bool Matches(RouteMatch match, HttpRequest request) => Pick(Compile(Route(V2, match), Route(V1)), request) == V2;

    [Theory]
    [InlineData("POST", true)]
    [InlineData("GET", false)]
    [InlineData("post", false)]
    public void Method_Exact_IsCaseSensitive(string method, bool expected) =>
        Assert.Equal(expected, Matches(new RouteMatch { Method = new StringMatch { Exact = "POST" } }, Request(method)));

    [Theory]
    [InlineData("PUT", true)]
    [InlineData("PATCH", true)]
    [InlineData("GET", false)]
    public void Method_Regex_MatchesWholeMethod(string method, bool expected) =>
        Assert.Equal(expected, Matches(new RouteMatch { Method = new StringMatch { Regex = "PUT|PATCH" } }, Request(method)));

    [Theory]
    [InlineData("http", true)]
    [InlineData("https", false)]
    public void Scheme_Exact_MatchesRequestScheme(string scheme, bool expected) =>
        Assert.Equal(expected, Matches(new RouteMatch { Scheme = new StringMatch { Exact = "http" } }, Request(scheme: scheme)));

    [Theory]
    [InlineData("web", true)]
    [InlineData("web:8000", false)]
    [InlineData("WEB", false)]
    [InlineData("web.default", false)]
    public void Authority_Exact_ComparesHostAsSent(string host, bool expected) =>
        Assert.Equal(expected, Matches(new RouteMatch { Authority = new StringMatch { Exact = "web" } }, Request(host: host)));

    [Theory]
    [InlineData("web.default:8000", true)]
    [InlineData("web:8000", false)]
    public void Authority_Prefix_MatchesStartOfHost(string host, bool expected) =>
        Assert.Equal(expected, Matches(new RouteMatch { Authority = new StringMatch { Prefix = "web.default" } }, Request(host: host)));

    [Theory]
    [InlineData("?debug=true", true)]
    [InlineData("?x=1&debug=true&y", true)]
    [InlineData("?debug=truex", false)]
    [InlineData("?debug=false&debug=true", false)]
    [InlineData("?Debug=true", false)]
    [InlineData("?debugx=true", false)]
    [InlineData("", false)]
    public void QueryParam_Exact_ComparesFirstOccurrence(string query, bool expected) =>
        Assert.Equal(expected, Matches(Query("debug", new StringMatch { Exact = "true" }), Request(query: query)));

    [Theory]
    [InlineData("?key", true)]
    [InlineData("?key=", true)]
    [InlineData("?a=1&key", true)]
    [InlineData("?key=1", false)]
    public void QueryParam_ExactEmpty_MatchesKeyWithoutValue(string query, bool expected) =>
        Assert.Equal(expected, Matches(Query("key", new StringMatch { Exact = "" }), Request(query: query)));

    [Theory]
    [InlineData("?key=123", true)]
    [InlineData("?key=a123", false)]
    [InlineData("?key=123a", false)]
    public void QueryParam_Regex_MatchesWholeValue(string query, bool expected) =>
        Assert.Equal(expected, Matches(Query("key", new StringMatch { Regex = @"\d+" }), Request(query: query)));

    [Theory]
    [InlineData("?debug", true)]
    [InlineData("?debug=anything", true)]
    [InlineData("?nodebug=1", false)]
    public void QueryParam_WithoutValue_RequiresPresence(string query, bool expected) =>
        Assert.Equal(expected, Matches(Query("debug", null), Request(query: query)));

    [Theory]
    [InlineData("?user=ab7", true)]
    [InlineData("?user=b", false)]
    public void QueryParam_Prefix_MatchesStartOfValue(string query, bool expected) =>
        Assert.Equal(expected, Matches(Query("user", new StringMatch { Prefix = "ab" }), Request(query: query)));

    [Theory]
    [InlineData("?name=a%20b", "a%20b", true)]
    [InlineData("?name=a%20b", "a b", false)]
    public void QueryParam_Value_IsComparedAsSent(string query, string exact, bool expected) =>
        Assert.Equal(expected, Matches(Query("name", new StringMatch { Exact = exact }), Request(query: query)));

    [Theory]
    [InlineData("/API/items", true)]
    [InlineData("/api/items", true)]
    [InlineData("/apx", false)]
    public void IgnoreUriCase_Prefix_IgnoresCase(string path, bool expected) =>
        Assert.Equal(expected, Matches(new RouteMatch { Uri = new StringMatch { Prefix = "/Api" }, IgnoreUriCase = true }, Request(path: path)));

    [Theory]
    [InlineData("/LOGIN", true)]
    [InlineData("/login/", false)]
    public void IgnoreUriCase_Exact_IgnoresCase(string path, bool expected) =>
        Assert.Equal(expected, Matches(new RouteMatch { Uri = new StringMatch { Exact = "/login" }, IgnoreUriCase = true }, Request(path: path)));

    [Theory]
    [InlineData("/users", true)]
    [InlineData("/USERS", false)]
    public void IgnoreUriCase_Regex_StaysCaseSensitive(string path, bool expected) =>
        Assert.Equal(expected, Matches(new RouteMatch { Uri = new StringMatch { Regex = "/users" }, IgnoreUriCase = true }, Request(path: path)));

    [Fact]
    public void Uri_IsMatchedWithoutTheQueryString()
    {
        Assert.True(Matches(new RouteMatch { Uri = new StringMatch { Exact = "/search" } }, Request(path: "/search", query: "?q=1")));
        Assert.True(Matches(new RouteMatch { Uri = new StringMatch { Regex = "/search" } }, Request(path: "/search", query: "?q=1")));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("1", false)]
    public void WithoutHeaders_Presence_MatchesOnlyWhenHeaderIsAbsent(string? debug, bool expected)
    {
        var match = new RouteMatch();
        match.Headers.Add(new HeaderMatch { Name = "x-debug", Invert = true });

        Assert.Equal(expected, Matches(match, debug is null ? Request() : Request(headers: ("X-Debug", debug))));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("stable", true)]
    [InlineData("canary-1", false)]
    public void WithoutHeaders_Value_ExcludesOnlyMatchingValues(string? track, bool expected)
    {
        var match = new RouteMatch();
        match.Headers.Add(new HeaderMatch { Name = "x-track", Value = new StringMatch { Regex = "canary-[0-9]+" }, Invert = true });

        Assert.Equal(expected, Matches(match, track is null ? Request() : Request(headers: ("x-track", track))));
    }

    [Fact]
    public void HeaderNames_AreCaseInsensitive()
    {
        var match = new RouteMatch();
        match.Headers.Add(new HeaderMatch { Name = "End-User", Value = new StringMatch { Exact = "jason" } });

        Assert.True(Matches(match, Request(headers: ("END-USER", "jason"))));
        Assert.False(Matches(match, Request(headers: ("end-user", "JASON"))));
    }

    [Fact]
    public void Conditions_AreAndedWithinAMatch_AndOredAcrossMatches()
    {
        var postWithDebug = Query("debug", null);
        postWithDebug.Method = new StringMatch { Exact = "POST" };
        var admin = new RouteMatch { Authority = new StringMatch { Exact = "admin.web" } };
        var host = Compile(Route(V2, postWithDebug, admin), Route(V1));

        Assert.Equal(V2, Pick(host, Request("POST", query: "?debug")));
        Assert.Equal(V1, Pick(host, Request("POST")));
        Assert.Equal(V1, Pick(host, Request("GET", query: "?debug")));
        Assert.Equal(V2, Pick(host, Request("GET", host: "admin.web")));
    }

    [Fact]
    public void Routes_FirstMatchWins()
    {
        var host = Compile(
            Route(V2, new RouteMatch { Method = new StringMatch { Exact = "GET" } }),
            Route(V1, UriPrefix("/")));

        Assert.Equal(V2, Pick(host, Request("GET", "/x")));
        Assert.Equal(V1, Pick(host, Request("DELETE", "/x")));
    }

    [Fact]
    public void NoRouteMatches_ReturnsNull()
    {
        var host = Compile(Route(V2, new RouteMatch { Method = new StringMatch { Exact = "GET" } }));

        Assert.Null(host.Match(Request("POST")));
    }

    [Fact]
    public void PathAndHeadersOnly_ConditionsOnMethodOrQuery_DoNotHold()
    {
        var host = Compile(
            Route(V2, new RouteMatch { Method = new StringMatch { Exact = "GET" } }, Query("debug", null)),
            Route(V1, new RouteMatch { Authority = new StringMatch { Exact = "web" } }));
        var headers = new HeaderDictionary { ["Host"] = "web" };

        Assert.Equal(V1, host.Match(new RouteRequest("/", headers))?.Clusters.Clusters[0].Name);
    }

    [Theory]
    [InlineData("method")]
    [InlineData("scheme")]
    [InlineData("authority")]
    [InlineData("query")]
    public void Compile_InvalidRegexInAnyCondition_IsRejected(string field)
    {
        var bad = new StringMatch { Regex = "([a-z]" };
        var match = field switch
        {
            "method" => new RouteMatch { Method = bad },
            "scheme" => new RouteMatch { Scheme = bad },
            "authority" => new RouteMatch { Authority = bad },
            _ => Query("q", bad),
        };

        var reason = TestSnapshots.Reject(Cluster(V1), VirtualHost("web", 8000, Route(V1, match)));

        Assert.Contains(field == "query" ? "query parameter 'q': invalid regular expression '([a-z]'" : $"{field}: invalid regular expression '([a-z]'", reason);
    }

    [Fact]
    public void Compile_QueryParamWithoutName_IsRejected()
    {
        var reason = TestSnapshots.Reject(Cluster(V1), VirtualHost("web", 8000, Route(V1, Query("", null))));

        Assert.Contains("query parameter 0 has no name", reason);
    }

    internal static RouteMatch Query(string name, StringMatch? value)
    {
        var match = new RouteMatch();
        match.QueryParams.Add(new QueryParamMatch { Name = name, Value = value });
        return match;
    }
}
