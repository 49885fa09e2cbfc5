using Heddle.Discovery.V1;
using Heddle.Proxy.Routing.Actions;

namespace Heddle.Proxy.Tests.Routing.Actions;

public sealed class RedirectActionTests
{
    [Fact]
    public void Location_UriAndAuthority_ReplaceThoseParts()
    {
        var redirect = new RedirectAction(new RouteRedirect { Path = "/v1/bookRatings", Authority = "newratings.default.svc.cluster.local" });

        Assert.Equal(301, redirect.Status);
        Assert.Equal("http://newratings.default.svc.cluster.local/v1/bookRatings?a=1", redirect.Location("http", "ratings:9080", "/v1/getProductRatings", "?a=1", 9080));
    }

    [Fact]
    public void Location_UriWithQuery_ReplacesTheQuery()
    {
        var redirect = new RedirectAction(new RouteRedirect { Path = "/new?b=2" });

        Assert.Equal("http://web/new?b=2", redirect.Location("http", "web", "/old", "?a=1", 80));
    }

    [Fact]
    public void Location_SchemeChange_DropsTheOldDefaultPortKeepsOthers()
    {
        var redirect = new RedirectAction(new RouteRedirect { Scheme = "https", Status = 308 });

        Assert.Equal(308, redirect.Status);
        Assert.Equal("https://web/x", redirect.Location("http", "web:80", "/x", "", 80));
        Assert.Equal("https://web:8000/x", redirect.Location("http", "web:8000", "/x", "", 8000));
    }

    [Theory]
    [InlineData(RouteRedirect.Types.DerivePort.FromProtocolDefault, 0u, "http://web/x")]
    [InlineData(RouteRedirect.Types.DerivePort.FromRequestPort, 0u, "http://web:8000/x")]
    [InlineData(RouteRedirect.Types.DerivePort.None, 9090u, "http://web:9090/x")]
    [InlineData(RouteRedirect.Types.DerivePort.None, 80u, "http://web/x")]
    public void Location_Port_FollowsPortOrDerivePort(RouteRedirect.Types.DerivePort derive, uint port, string expected)
    {
        var redirect = new RedirectAction(new RouteRedirect { DerivePort = derive, Port = port });

        Assert.Equal(expected, redirect.Location("http", "web:8000", "/x", "", 8000));
    }
}
