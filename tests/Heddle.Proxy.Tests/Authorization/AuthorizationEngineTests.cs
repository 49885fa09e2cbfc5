using System.Net;
using System.Text.Json;
using Heddle.Discovery.V1;
using Heddle.Proxy.Authorization;
using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Tests.Authorization;

/// <summary>Istio's AuthorizationPolicy semantics, one behaviour per test.</summary>
public sealed class AuthorizationEngineTests
{
    private const string Productpage = "cluster.local/ns/default/sa/bookinfo-productpage";

    private static AuthorizationPolicy Policy(string name, AuthorizationPolicy.Types.Action action, params AuthorizationRule[] rules)
    {
        var policy = new AuthorizationPolicy { Name = "default." + name, Action = action };
        policy.Rules.AddRange(rules);
        return policy;
    }

    private static AuthorizationEngine Engine(params AuthorizationPolicy[] policies)
    {
        var set = new AuthorizationPolicies();
        set.Policies.AddRange(policies);
        return AuthorizationEngine.Compile(set);
    }

    private static AuthorizationRule To(Action<AuthorizationOperation> operation)
    {
        var to = new AuthorizationOperation();
        operation(to);
        var rule = new AuthorizationRule();
        rule.To.Add(to);
        return rule;
    }

    private static AuthorizationRule From(Action<AuthorizationSource> source)
    {
        var from = new AuthorizationSource();
        source(from);
        var rule = new AuthorizationRule();
        rule.From.Add(from);
        return rule;
    }

    private static AuthorizationRule When(string key, string[] values, string[]? notValues = null)
    {
        var condition = new AuthorizationCondition { Key = key };
        condition.Values.AddRange(values);
        condition.NotValues.AddRange(notValues ?? []);
        var rule = new AuthorizationRule();
        rule.When.Add(condition);
        return rule;
    }

    private static HttpRequest Request(string method = "GET", string path = "/", string host = "httpbin:8000", string source = "10.0.0.7", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new HostString(host);
        context.Connection.RemoteIpAddress = IPAddress.Parse(source);
        context.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.9");
        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }

        return context.Request;
    }

    private static bool Allowed(AuthorizationEngine engine, HttpRequest request, string? principal = null, RequestIdentity? jwt = null, int port = 8000) =>
        engine.Evaluate(new AuthorizationInput(request, port, principal, principal is null ? null : principal.Split('/')[2], null, jwt)).Allowed;

    [Fact]
    public void NoPolicies_AllowEverything()
    {
        Assert.True(Allowed(AuthorizationEngine.AllowAll, Request()));
    }

    [Fact]
    public void AllowNothing_PolicyWithoutRules_DeniesEveryRequest()
    {
        var engine = Engine(Policy("allow-nothing", AuthorizationPolicy.Types.Action.Allow));

        Assert.False(Allowed(engine, Request()));
    }

    [Fact]
    public void DenyWithoutRules_DeniesNothing()
    {
        var engine = Engine(Policy("deny-nothing", AuthorizationPolicy.Types.Action.Deny));

        Assert.True(Allowed(engine, Request()));
    }

    [Fact]
    public void EmptyRule_AllowsEverything()
    {
        var engine = Engine(Policy("allow-all", AuthorizationPolicy.Types.Action.Allow, new AuthorizationRule()));

        Assert.True(Allowed(engine, Request(method: "DELETE", path: "/anything")));
    }

    [Fact]
    public void Allow_GetOnly_OtherMethodsAreDenied()
    {
        var engine = Engine(Policy("viewer", AuthorizationPolicy.Types.Action.Allow, To(o => o.Methods.Add("GET"))));

        Assert.True(Allowed(engine, Request("GET")));
        Assert.False(Allowed(engine, Request("POST")));
    }

    [Fact]
    public void Deny_WinsOverAMatchingAllow()
    {
        var engine = Engine(
            Policy("allow-all", AuthorizationPolicy.Types.Action.Allow, new AuthorizationRule()),
            Policy("deny-admin", AuthorizationPolicy.Types.Action.Deny, To(o => o.Paths.Add("/admin*"))));

        var decision = engine.Evaluate(new AuthorizationInput(Request(path: "/admin/users"), 8000, null, null, null, null));

        Assert.False(decision.Allowed);
        Assert.Equal("default.deny-admin", decision.Policy);
        Assert.True(Allowed(engine, Request(path: "/status/200")));
    }

    [Theory]
    [InlineData("/api/*", "/api/v1/items", true)]
    [InlineData("/api/*", "/apiary", false)]
    [InlineData("*/reviews", "/products/1/reviews", true)]
    [InlineData("*", "/anything", true)]
    [InlineData("/health", "/health", true)]
    [InlineData("/health", "/Health", false)]
    public void Paths_MatchExactPrefixSuffixAndAny(string pattern, string path, bool allowed)
    {
        var engine = Engine(Policy("paths", AuthorizationPolicy.Types.Action.Allow, To(o => o.Paths.Add(pattern))));

        Assert.Equal(allowed, Allowed(engine, Request(path: path)));
    }

    [Fact]
    public void NotPaths_DenyOnlyTheNamedPaths()
    {
        var engine = Engine(Policy("not-private", AuthorizationPolicy.Types.Action.Allow, To(o => o.NotPaths.Add("/private*"))));

        Assert.True(Allowed(engine, Request(path: "/public")));
        Assert.False(Allowed(engine, Request(path: "/private/key")));
    }

    [Fact]
    public void Hosts_MatchCaseInsensitively_WithOrWithoutThePort()
    {
        var engine = Engine(Policy("hosts", AuthorizationPolicy.Types.Action.Allow, To(o => o.Hosts.Add("httpbin.default.svc.cluster.local"))));

        Assert.True(Allowed(engine, Request(host: "HTTPBIN.default.svc.cluster.local:8000")));
        Assert.False(Allowed(engine, Request(host: "httpbin:8000")));
    }

    [Fact]
    public void Ports_MatchTheApplicationPort()
    {
        var engine = Engine(Policy("port", AuthorizationPolicy.Types.Action.Allow, To(o => o.Ports.Add("8000"))));

        Assert.True(Allowed(engine, Request(), port: 8000));
        Assert.False(Allowed(engine, Request(), port: 9000));
    }

    [Fact]
    public void Principals_NeedAVerifiedPeer_EvenForTheWildcard()
    {
        var engine = Engine(Policy("any-peer", AuthorizationPolicy.Types.Action.Allow, From(s => s.Principals.Add("*"))));

        Assert.False(Allowed(engine, Request(), principal: null));
        Assert.True(Allowed(engine, Request(), principal: Productpage));
    }

    [Fact]
    public void ServiceAccounts_MatchTheIdentityInAnyTrustDomain()
    {
        var engine = Engine(Policy("sa", AuthorizationPolicy.Types.Action.Allow, From(s => s.ServiceAccounts.Add("default/bookinfo-productpage"))));

        Assert.True(Allowed(engine, Request(), principal: Productpage));
        Assert.True(Allowed(engine, Request(), principal: "example.org/ns/default/sa/bookinfo-productpage"));
        Assert.False(Allowed(engine, Request(), principal: "cluster.local/ns/other/sa/bookinfo-productpage"));
    }

    [Fact]
    public void Namespaces_ComeFromThePeerIdentity()
    {
        var engine = Engine(Policy("ns", AuthorizationPolicy.Types.Action.Deny, From(s => s.NotNamespaces.Add("default"))));

        Assert.True(Allowed(engine, Request(), principal: Productpage));
        Assert.False(Allowed(engine, Request(), principal: "cluster.local/ns/foo/sa/sleep"));
        Assert.False(Allowed(engine, Request(), principal: null));
    }

    [Fact]
    public void IpBlocks_MatchTheCallersAddress()
    {
        var engine = Engine(Policy("ip", AuthorizationPolicy.Types.Action.Deny, From(s => s.IpBlocks.Add("10.0.0.0/24"))));

        Assert.False(Allowed(engine, Request(source: "10.0.0.200")));
        Assert.True(Allowed(engine, Request(source: "10.0.1.1")));
        Assert.False(Allowed(engine, Request(source: "::ffff:10.0.0.1")));
    }

    [Fact]
    public void HeaderCondition_MatchesAnyValue_AndAbsentHeaderDoesNotMatch()
    {
        var engine = Engine(Policy("version", AuthorizationPolicy.Types.Action.Allow, When("request.headers[version]", ["v1", "v2"])));

        Assert.True(Allowed(engine, Request(headers: ("version", "v2"))));
        Assert.False(Allowed(engine, Request(headers: ("version", "v3"))));
        Assert.False(Allowed(engine, Request()));
    }

    [Fact]
    public void HeaderCondition_NotValues_DenyTheNamedValuesOnly()
    {
        var engine = Engine(Policy("not-beta", AuthorizationPolicy.Types.Action.Allow, When("request.headers[x-channel]", [], ["beta*"])));

        Assert.True(Allowed(engine, Request(headers: ("x-channel", "stable"))));
        Assert.True(Allowed(engine, Request()));
        Assert.False(Allowed(engine, Request(headers: ("x-channel", "beta-2"))));
    }

    [Fact]
    public void ClaimCondition_MatchesStringsAndLists_AndNeedsAToken()
    {
        var engine = Engine(Policy("group", AuthorizationPolicy.Types.Action.Allow, When("request.auth.claims[groups]", ["group1"])));
        using var claims = JsonDocument.Parse("""{"iss":"testing@secure.istio.io","sub":"me","groups":["group1","group2"]}""");
        var jwt = new RequestIdentity("testing@secure.istio.io", "me", claims.RootElement.Clone());

        Assert.True(Allowed(engine, Request(), jwt: jwt));
        Assert.False(Allowed(engine, Request(), jwt: null));
    }

    [Fact]
    public void NestedClaimCondition_FollowsThePath()
    {
        var engine = Engine(Policy("nested", AuthorizationPolicy.Types.Action.Allow, When("request.auth.claims[nested][key1]", ["valueA"])));
        using var claims = JsonDocument.Parse("""{"nested":{"key1":["valueA","valueB"]}}""");

        Assert.True(Allowed(engine, Request(), jwt: new RequestIdentity("i", "s", claims.RootElement.Clone())));
    }

    [Fact]
    public void RequestPrincipals_Wildcard_RequiresAValidToken()
    {
        var engine = Engine(Policy("require-jwt", AuthorizationPolicy.Types.Action.Allow, From(s => s.RequestPrincipals.Add("*"))));
        using var claims = JsonDocument.Parse("{}");

        Assert.False(Allowed(engine, Request()));
        Assert.True(Allowed(engine, Request(), jwt: new RequestIdentity("testing@secure.istio.io", "testing@secure.istio.io", claims.RootElement.Clone())));
    }

    [Fact]
    public void Rule_AllPartsMustHold()
    {
        var rule = To(o => o.Methods.Add("GET"));
        rule.From.Add(new AuthorizationSource { Principals = { Productpage } });
        var engine = Engine(Policy("both", AuthorizationPolicy.Types.Action.Allow, rule));

        Assert.True(Allowed(engine, Request("GET"), principal: Productpage));
        Assert.False(Allowed(engine, Request("POST"), principal: Productpage));
        Assert.False(Allowed(engine, Request("GET"), principal: "cluster.local/ns/default/sa/reviews"));
    }

    [Fact]
    public void Audit_DecidesNothing()
    {
        var engine = Engine(Policy("audit", AuthorizationPolicy.Types.Action.Audit, new AuthorizationRule()));

        Assert.True(Allowed(engine, Request()));
    }

    [Fact]
    public void Evaluate_DoesNotAllocate()
    {
        var engine = Engine(
            Policy("deny-admin", AuthorizationPolicy.Types.Action.Deny, To(o => o.Paths.Add("/admin*"))),
            Policy("viewer", AuthorizationPolicy.Types.Action.Allow, To(o => { o.Methods.Add("GET"); o.Paths.Add("/status/*"); o.Hosts.Add("httpbin*"); }), When("request.headers[version]", ["v1"])));
        var input = new AuthorizationInput(Request(path: "/status/200", headers: ("version", "v1")), 8000, Productpage, "default", null, null);
        engine.Evaluate(input);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            engine.Evaluate(input);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
    [Fact]
    public void Custom_MatchingRequest_NamesItsAuthorizer_OthersDoNot()
    {
        var custom = Policy("ext-authz", AuthorizationPolicy.Types.Action.Custom, To(o => o.Paths.Add("/headers")));
        custom.Provider = new AuthorizationProvider { Name = "sample-ext-authz-http", Address = "http://10.0.0.8:8000", PathPrefix = "check" };
        var engine = Engine(custom);

        var authorizer = engine.MatchCustom(new AuthorizationInput(Request(path: "/headers"), 8000, null, null, null, null));
        Assert.NotNull(authorizer);
        Assert.Null(authorizer.Error);
        Assert.Equal("http://10.0.0.8:8000/check", authorizer.BaseAddress);
        Assert.Null(engine.MatchCustom(new AuthorizationInput(Request(path: "/ip"), 8000, null, null, null, null)));
    }

    [Fact]
    public void Custom_IsNeitherAnAllowNorADenyPolicy()
    {
        var custom = Policy("ext-authz", AuthorizationPolicy.Types.Action.Custom, To(o => o.Paths.Add("/headers")));
        custom.Provider = new AuthorizationProvider { Name = "p", Address = "http://10.0.0.8:8000" };
        var engine = Engine(custom);

        Assert.True(engine.HasCustom);
        Assert.True(Allowed(engine, Request(path: "/headers")));
        Assert.True(Allowed(engine, Request(path: "/ip")));
    }

    [Fact]
    public void Custom_UnresolvedProvider_CarriesTheControlPlanesReason()
    {
        var custom = Policy("ext-authz", AuthorizationPolicy.Types.Action.Custom, new AuthorizationRule());
        custom.Provider = new AuthorizationProvider { Name = "p", Error = "no extension provider \"p\" in the mesh config" };
        var engine = Engine(custom);

        var authorizer = engine.MatchCustom(new AuthorizationInput(Request(), 8000, null, null, null, null));
        Assert.Equal("no extension provider \"p\" in the mesh config", authorizer?.Error);
    }
}
