using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.ControlPlane.Snapshots;
using Heddle.Discovery.V1;
using StringMatch = Heddle.Config.Model.StringMatch;

namespace Heddle.ControlPlane.Tests.Snapshots;

public sealed class MatchTranslatorTests
{
    private static readonly ProxyContext Client = new(
        new Node { PodName = "client-0", Namespace = "default", Workload = "client" },
        "default",
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("app", "client")]),
        null);

    private static ImmutableSortedDictionary<string, StringMatch> Map(params (string Key, StringMatch Value)[] entries) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, entries.Select(e => KeyValuePair.Create(e.Key, e.Value)));

    [Fact]
    public void Translate_EveryRequestCondition_GoesToTheProxy()
    {
        var match = new HttpMatchRequest
        {
            Uri = new StringMatch { Prefix = "/Api" },
            IgnoreUriCase = true,
            Method = new StringMatch { Exact = "POST" },
            Scheme = new StringMatch { Exact = "http" },
            Authority = new StringMatch { Regex = "echo(:80)?" },
            Headers = Map(("X-Track", new StringMatch { Exact = "canary" }), ("x-debug", new StringMatch())),
            WithoutHeaders = Map(("x-block", new StringMatch { Prefix = "yes" })),
            QueryParams = Map(("debug", new StringMatch()), ("user", new StringMatch { Regex = "[a-z]+" }), ("v", new StringMatch { Exact = "" })),
        };

        var translated = MatchTranslator.Translate(match, 80, Client);

        Assert.NotNull(translated);
        Assert.Equal("/Api", translated.Uri.Prefix);
        Assert.True(translated.IgnoreUriCase);
        Assert.Equal("POST", translated.Method.Exact);
        Assert.Equal("http", translated.Scheme.Exact);
        Assert.Equal("echo(:80)?", translated.Authority.Regex);
        Assert.Collection(translated.Headers,
            h => { Assert.Equal("x-track", h.Name); Assert.Equal("canary", h.Value.Exact); Assert.False(h.Invert); },
            h => { Assert.Equal("x-debug", h.Name); Assert.Null(h.Value); Assert.False(h.Invert); },
            h => { Assert.Equal("x-block", h.Name); Assert.Equal("yes", h.Value.Prefix); Assert.True(h.Invert); });
        Assert.Collection(translated.QueryParams,
            q => { Assert.Equal("debug", q.Name); Assert.Null(q.Value); },
            q => { Assert.Equal("user", q.Name); Assert.Equal("[a-z]+", q.Value.Regex); },
            q => { Assert.Equal("v", q.Name); Assert.Equal(Heddle.Discovery.V1.StringMatch.KindOneofCase.Exact, q.Value.KindCase); Assert.Equal("", q.Value.Exact); });
    }

    [Fact]
    public void Translate_NoConditions_MatchesEverything()
    {
        var translated = MatchTranslator.Translate(new HttpMatchRequest(), 80, Client);

        Assert.NotNull(translated);
        Assert.Null(translated.Uri);
        Assert.Null(translated.Method);
        Assert.Null(translated.Scheme);
        Assert.Null(translated.Authority);
        Assert.False(translated.IgnoreUriCase);
        Assert.Empty(translated.Headers);
        Assert.Empty(translated.QueryParams);
    }

    [Fact]
    public void Translate_HeaderKeysIstioIgnores_AreLeftOut()
    {
        var match = new HttpMatchRequest
        {
            Headers = Map(("method", new StringMatch { Exact = "GET" }), ("uri", new StringMatch { Exact = "/" }), ("x-a", new StringMatch { Exact = "1" })),
            WithoutHeaders = Map(("authority", new StringMatch { Exact = "echo" }), ("scheme", new StringMatch { Exact = "http" })),
        };

        var translated = MatchTranslator.Translate(match, 80, Client);

        Assert.Equal("x-a", Assert.Single(translated!.Headers).Name);
    }

    [Theory]
    [InlineData(8080, null, null, null)]
    [InlineData(null, "other", null, null)]
    [InlineData(null, null, "other", null)]
    [InlineData(null, null, null, "ingress")]
    public void Translate_CallerOrPortConditionThatDoesNotHold_LeavesTheMatchOut(int? port, string? sourceNamespace, string? sourceApp, string? gateway)
    {
        var match = new HttpMatchRequest
        {
            Port = port,
            SourceNamespace = sourceNamespace,
            SourceLabels = sourceApp is null ? ImmutableSortedDictionary<string, string>.Empty : ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("app", sourceApp)]),
            Gateways = gateway is null ? [] : [gateway],
        };

        Assert.Null(MatchTranslator.Translate(match, 80, Client));
    }

    [Fact]
    public void Translate_CallerAndPortConditionsThatHold_AreDecidedHere()
    {
        var match = new HttpMatchRequest
        {
            Port = 80,
            SourceNamespace = "default",
            SourceLabels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("app", "client")]),
            Gateways = ["mesh"],
        };

        var translated = MatchTranslator.Translate(match, 80, Client);

        Assert.Equal(new RouteMatch(), translated);
    }
}
