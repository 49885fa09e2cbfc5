using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.ControlPlane.Snapshots.Actions;
using Heddle.Discovery.V1;
using ConfigHeaderOperations = Heddle.Config.Model.HeaderOperations;
using ConfigStringMatch = Heddle.Config.Model.StringMatch;

namespace Heddle.ControlPlane.Tests.Snapshots.Actions;

public sealed class RouteActionTranslatorTests
{
    private static readonly HttpRouteDestination ToHttpbin = new() { Destination = new Destination { Host = "httpbin" } };

    private static Route Translate(HttpRoute http)
    {
        var route = new Route();
        RouteActionTranslator.Apply(http, route, d => $"outbound|8000|{d.Subset}|{d.Host}.default.svc.cluster.local");
        return route;
    }

    [Fact]
    public void Apply_RedirectWithoutCode_Uses301()
    {
        var route = Translate(new HttpRoute { Redirect = new HttpRedirect { Uri = "/new", Authority = "other", DerivePort = RedirectPortSelection.FromRequestPort } });

        Assert.Equal(301u, route.Redirect.Status);
        Assert.Equal("/new", route.Redirect.Path);
        Assert.Equal("other", route.Redirect.Authority);
        Assert.Equal(RouteRedirect.Types.DerivePort.FromRequestPort, route.Redirect.DerivePort);
        Assert.Null(route.RetryPolicy);
    }

    [Fact]
    public void Apply_DirectResponse_CarriesStringOrBase64Body()
    {
        var text = Translate(new HttpRoute { DirectResponse = new HttpDirectResponse { Status = 503, Body = new HttpBody { String = "unknown path" } } });
        var bytes = Translate(new HttpRoute { DirectResponse = new HttpDirectResponse { Status = 200, Body = new HttpBody { Bytes = "aGk=" } } });

        Assert.Equal(503u, text.DirectResponse.Status);
        Assert.Equal("unknown path", text.DirectResponse.Body.ToStringUtf8());
        Assert.Equal("hi", bytes.DirectResponse.Body.ToStringUtf8());
    }

    [Fact]
    public void Apply_Forwarding_SetsTimeoutDefaultRetriesAndMirrors()
    {
        var route = Translate(new HttpRoute
        {
            Route = [ToHttpbin],
            Timeout = TimeSpan.FromMilliseconds(500),
            Mirror = new Destination { Host = "httpbin", Subset = "v2" },
            MirrorPercentage = new Percent { Value = 12.5 },
            Mirrors = [new HttpMirrorPolicy { Destination = new Destination { Host = "shadow" } }],
        });

        Assert.Equal(500u, route.TimeoutMs);
        Assert.Equal(2u, route.RetryPolicy.NumRetries);
        Assert.Collection(route.Mirrors,
            m => { Assert.Equal("outbound|8000|v2|httpbin.default.svc.cluster.local", m.Cluster); Assert.Equal(125_000u, m.PerMillion); },
            m => { Assert.Equal("outbound|8000||shadow.default.svc.cluster.local", m.Cluster); Assert.Equal(1_000_000u, m.PerMillion); });
    }

    [Fact]
    public void Apply_FaultWithoutPercentage_FaultsNoRequest()
    {
        var route = Translate(new HttpRoute
        {
            Route = [ToHttpbin],
            Fault = new HttpFaultInjection
            {
                Delay = new FaultDelay { FixedDelay = TimeSpan.FromSeconds(7) },
                Abort = new FaultAbort { GrpcStatus = "UNAVAILABLE", Percentage = new Percent { Value = 50 } },
            },
        });

        Assert.Equal(7000u, route.Fault.DelayMs);
        Assert.Equal(0u, route.Fault.DelayPerMillion);
        Assert.True(route.Fault.HasAbortGrpcStatus);
        Assert.Equal(14u, route.Fault.AbortGrpcStatus);
        Assert.Equal(500_000u, route.Fault.AbortPerMillion);
    }

    [Fact]
    public void Apply_Headers_LowerCasedPerRouteAndPerDestination()
    {
        var route = Translate(new HttpRoute
        {
            Route =
            [
                ToHttpbin,
                ToHttpbin with { Headers = new Headers { Request = new ConfigHeaderOperations { Add = Sorted(("X-Dest", "two")) } } },
            ],
            Headers = new Headers
            {
                Request = new ConfigHeaderOperations { Set = Sorted(("Test", "true")), Remove = ["X-Drop"] },
                Response = new ConfigHeaderOperations { Remove = ["foo"] },
            },
        });

        Assert.Equal("test", route.RequestHeaders.Set[0].Name);
        Assert.Equal("x-drop", route.RequestHeaders.Remove[0]);
        Assert.Equal("foo", route.ResponseHeaders.Remove[0]);
        var destination = Assert.Single(route.DestinationHeaders);
        Assert.Equal(1u, destination.ClusterIndex);
        Assert.Equal("x-dest", destination.Request.Add[0].Name);
    }

    [Fact]
    public void Apply_Cors_JoinsListsAndConvertsMaxAgeToSeconds()
    {
        var route = Translate(new HttpRoute
        {
            Route = [ToHttpbin],
            CorsPolicy = new CorsPolicy
            {
                AllowOrigins = [new ConfigStringMatch { Exact = "https://example.com" }, new ConfigStringMatch { Regex = "https://.*\\.example" }],
                AllowMethods = ["POST", "GET"],
                AllowHeaders = ["X-Foo-Bar"],
                MaxAge = TimeSpan.FromHours(24),
                UnmatchedPreflights = UnmatchedPreflights.Ignore,
            },
        });

        Assert.Equal(2, route.Cors.AllowOrigins.Count);
        Assert.Equal("POST,GET", route.Cors.AllowMethods);
        Assert.Equal("86400", route.Cors.MaxAge);
        Assert.True(route.Cors.IgnoreUnmatchedPreflights);
        Assert.False(route.Cors.AllowCredentials);
    }

    [Fact]
    public void Apply_RegexRewriteWinsOverUri()
    {
        var route = Translate(new HttpRoute
        {
            Route = [ToHttpbin],
            Rewrite = new HttpRewrite { UriRegexRewrite = new RegexRewrite { Match = "^/a/(.*)$", Rewrite = "/b/\\1" }, Authority = "new-host" },
        });

        Assert.Equal("^/a/(.*)$", route.Rewrite.Regex);
        Assert.Equal("/b/\\1", route.Rewrite.RegexSubstitution);
        Assert.Equal("", route.Rewrite.UriPrefix);
        Assert.Equal("new-host", route.Rewrite.Authority);
    }

    private static ImmutableSortedDictionary<string, string> Sorted(params (string Key, string Value)[] entries) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, entries.Select(e => KeyValuePair.Create(e.Key, e.Value)));
}
