using Heddle.Proxy.Routing;
using Heddle.Proxy.Routing.Actions;
using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Tests.Routing.Actions;

public sealed class CorsPolicyTests
{
    private static readonly CorsPolicy Policy = new(
        [StringMatcher.Exact("https://example.com"), StringMatcher.Prefix("https://app.")],
        "POST,GET", "X-Foo-Bar", "X-Total", "86400", allowCredentials: true, ignoreUnmatchedPreflights: false);

    [Theory]
    [InlineData("https://example.com", true)]
    [InlineData("https://app.example.org", true)]
    [InlineData("https://evil.example", false)]
    public void IsOriginAllowed_MatchesAnyOrigin(string origin, bool expected) => Assert.Equal(expected, Policy.IsOriginAllowed(origin));

    [Fact]
    public void IsPreflight_NeedsOptionsOriginAndRequestMethod()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "OPTIONS";
        context.Request.Headers.Origin = "https://example.com";
        Assert.False(CorsPolicy.IsPreflight(context.Request));

        context.Request.Headers.AccessControlRequestMethod = "POST";
        Assert.True(CorsPolicy.IsPreflight(context.Request));
    }

    [Fact]
    public void WritePreflightHeaders_WritesThePolicy()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        Policy.WritePreflightHeaders(headers, "https://example.com");

        Assert.Equal("https://example.com", headers.AccessControlAllowOrigin);
        Assert.Equal("true", headers.AccessControlAllowCredentials);
        Assert.Equal("POST,GET", headers.AccessControlAllowMethods);
        Assert.Equal("X-Foo-Bar", headers.AccessControlAllowHeaders);
        Assert.Equal("86400", headers.AccessControlMaxAge);
    }

    [Fact]
    public void WriteResponseHeaders_WritesOriginCredentialsAndExposedHeaders()
    {
        IHeaderDictionary headers = new HeaderDictionary();

        Policy.WriteResponseHeaders(headers, "https://example.com");

        Assert.Equal("https://example.com", headers.AccessControlAllowOrigin);
        Assert.Equal("X-Total", headers.AccessControlExposeHeaders);
        Assert.False(headers.ContainsKey("access-control-allow-methods"));
    }
}
