using Heddle.Discovery.V1;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Routing.Actions;
using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Tests.Routing.Actions;

public sealed class PathRewriteTests
{
    [Theory]
    [InlineData("/ratings", "/v1/bookRatings", "/ratings/7", "/v1/bookRatings/7")]
    [InlineData("/old-get", "/get", "/old-get", "/get")]
    [InlineData("/api/", "/", "/api/items", "/items")]
    public void Apply_PrefixMatch_ReplacesOnlyTheMatchedPrefix(string prefix, string rewrite, string path, string expected)
    {
        var route = RouteWith(new RouteMatch { Uri = new StringMatch { Prefix = prefix } });

        var matched = route.MatchedPathLength(0, path);

        Assert.Equal(expected, PathRewrite.Prefix(rewrite).Apply(path, matched));
    }

    [Fact]
    public void Apply_ExactMatch_ReplacesTheWholePath()
    {
        var route = RouteWith(new RouteMatch { Uri = new StringMatch { Exact = "/v1/getProductRatings" } });

        var matched = route.MatchedPathLength(0, "/v1/getProductRatings");

        Assert.Equal("/v1/bookRatings", PathRewrite.Prefix("/v1/bookRatings").Apply("/v1/getProductRatings", matched));
    }

    [Fact]
    public void Apply_NoUriCondition_ReplacesTheLeadingSlash()
    {
        var route = RouteWith();

        Assert.Equal("/v2/items", PathRewrite.Prefix("/v2/").Apply("/items", route.MatchedPathLength(0, "/items")));
    }

    [Fact]
    public void MatchIndex_SecondAlternativeMatched_UsesItsPrefix()
    {
        var route = RouteWith(new RouteMatch { Uri = new StringMatch { Prefix = "/a" } }, new RouteMatch { Uri = new StringMatch { Prefix = "/bbb" } });
        var request = new RouteRequest("/bbb/x", new HeaderDictionary());

        var index = route.MatchIndex(request);

        Assert.Equal(1, index);
        Assert.Equal("/new/x", PathRewrite.Prefix("/new").Apply("/bbb/x", route.MatchedPathLength(index, "/bbb/x")));
    }

    [Theory]
    [InlineData("^/service/([^/]+)/(.*)$", "/anything/\\2/\\1", "/service/reviews/v1/items", "/anything/v1/items/reviews")]
    [InlineData("/old", "/new", "/old/x/old", "/new/x/new")]
    [InlineData("^/(.*)$", "/price$/\\1", "/a", "/price$/a")]
    public void Apply_Regex_ReplacesEveryMatchWithGroups(string pattern, string substitution, string path, string expected)
    {
        Assert.True(PathRewrite.TryRegex(pattern, substitution, out var rewrite, out _));

        Assert.Equal(expected, rewrite.Apply(path, path.Length));
    }

    [Fact]
    public void TryRegex_InvalidPattern_NamesTheProblem()
    {
        Assert.False(PathRewrite.TryRegex("([", "/", out _, out var error));
        Assert.NotEmpty(error);
    }

    private static CompiledRoute RouteWith(params RouteMatch[] matches)
    {
        var compiled = new CompiledRouteMatch[matches.Length];
        for (var i = 0; i < matches.Length; i++)
        {
            var uri = matches[i].Uri;
            var matcher = uri.KindCase == StringMatch.KindOneofCase.Prefix ? StringMatcher.Prefix(uri.Prefix) : StringMatcher.Exact(uri.Exact);
            compiled[i] = new CompiledRouteMatch(matcher, [], null, null, null, []);
        }

        return new CompiledRoute("r", compiled, WeightedClusterPicker.None);
    }
}
