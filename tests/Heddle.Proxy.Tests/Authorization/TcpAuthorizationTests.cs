using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Authorization;

namespace Heddle.Proxy.Tests.Authorization;

/// <summary>AuthorizationPolicy on TCP connections, as Istio documents it: only L4 fields are evaluated; an ALLOW rule
/// with an HTTP-only field never matches, a DENY rule matches as if that field were absent.</summary>
public sealed class TcpAuthorizationTests
{
    private const string Sleep = "cluster.local/ns/foo/sa/sleep";

    private static readonly IPAddress Caller = IPAddress.Parse("10.0.0.7");
    private static readonly IPAddress Pod = IPAddress.Parse("10.0.0.9");

    private static AuthorizationEngine Engine(AuthorizationPolicy.Types.Action action, params AuthorizationRule[] rules)
    {
        var policy = new AuthorizationPolicy { Name = "foo.tcp-policy", Action = action };
        policy.Rules.AddRange(rules);
        var set = new AuthorizationPolicies();
        set.Policies.Add(policy);
        return AuthorizationEngine.Compile(set);
    }

    private static AuthorizationRule Rule(Action<AuthorizationSource>? from = null, Action<AuthorizationOperation>? to = null, params AuthorizationCondition[] when)
    {
        var rule = new AuthorizationRule();
        if (from is not null)
        {
            var source = new AuthorizationSource();
            from(source);
            rule.From.Add(source);
        }

        if (to is not null)
        {
            var operation = new AuthorizationOperation();
            to(operation);
            rule.To.Add(operation);
        }

        rule.When.AddRange(when);
        return rule;
    }

    private static AuthorizationCondition When(string key, params string[] values)
    {
        var condition = new AuthorizationCondition { Key = key };
        condition.Values.AddRange(values);
        return condition;
    }

    private static AuthorizationDecision Decide(AuthorizationEngine engine, int port, string? principal = Sleep, string? sni = null, IPAddress? source = null) =>
        engine.Evaluate(AuthorizationInput.Tcp(port, principal, principal?.Split('/')[2], sni, source ?? Caller, Pod));

    [Fact]
    public void AllowByPort_ListedPortsAllowed_OthersDenied()
    {
        var engine = Engine(AuthorizationPolicy.Types.Action.Allow, Rule(to: o => o.Ports.AddRange(["9000", "9001"])));

        Assert.True(Decide(engine, 9000).Allowed);
        Assert.True(Decide(engine, 9001).Allowed);
        Assert.False(Decide(engine, 9002).Allowed);
    }

    [Fact]
    public void AllowRuleWithMethods_NeverMatchesTcp_SoEveryPortIsDenied()
    {
        var engine = Engine(AuthorizationPolicy.Types.Action.Allow, Rule(to: o => { o.Methods.Add("GET"); o.Ports.Add("9000"); }));

        var decision = Decide(engine, 9000);

        Assert.False(decision.Allowed);
        Assert.Null(decision.Policy);
        Assert.Equal("rbac_access_denied_matched_policy[none]", decision.Details());
        Assert.False(Decide(engine, 9001).Allowed);
    }

    [Fact]
    public void AllowPolicy_OtherRuleWithoutHttpFields_StillMatches()
    {
        var engine = Engine(
            AuthorizationPolicy.Types.Action.Allow,
            Rule(to: o => o.Paths.Add("/admin")),
            Rule(from: s => s.Principals.Add(Sleep)));

        Assert.True(Decide(engine, 9000).Allowed);
        Assert.False(Decide(engine, 9000, principal: null).Allowed);
    }

    [Fact]
    public void DenyRuleWithOnlyMethods_DeniesEveryTcpConnection()
    {
        var engine = Engine(AuthorizationPolicy.Types.Action.Deny, Rule(to: o => o.Methods.Add("GET")));

        var decision = Decide(engine, 9000);

        Assert.False(decision.Allowed);
        Assert.Equal("rbac_access_denied_matched_policy[ns[foo]-policy[tcp-policy]-rule[0]]", decision.Details());
        Assert.False(Decide(engine, 9001).Allowed);
    }

    [Fact]
    public void DenyRuleWithMethodsAndPort_DeniesOnlyThatPort()
    {
        var engine = Engine(AuthorizationPolicy.Types.Action.Deny, Rule(to: o => { o.Methods.Add("GET"); o.Ports.Add("9000"); }));

        Assert.False(Decide(engine, 9000).Allowed);
        Assert.True(Decide(engine, 9001).Allowed);
    }

    [Fact]
    public void DenyRule_HttpOnlyConditionsAndRequestPrincipals_AreLeftOut()
    {
        var engine = Engine(
            AuthorizationPolicy.Types.Action.Deny,
            Rule(from: s => s.RequestPrincipals.Add("*"), when: When("request.headers[x-block]", "yes")),
            Rule(to: o => o.NotPaths.Add("/public")));

        var decision = Decide(engine, 9000);

        Assert.False(decision.Allowed);
        Assert.Equal(0, decision.Rule);
    }

    [Fact]
    public void Principals_NeedTheMutualTlsPeer()
    {
        var engine = Engine(AuthorizationPolicy.Types.Action.Allow, Rule(from: s => s.Principals.Add("cluster.local/ns/foo/sa/*")));

        Assert.True(Decide(engine, 9000).Allowed);
        Assert.False(Decide(engine, 9000, principal: null).Allowed);
        Assert.False(Decide(engine, 9000, principal: "cluster.local/ns/bar/sa/sleep").Allowed);
    }

    [Fact]
    public void Namespaces_ComeFromThePeerIdentity()
    {
        var engine = Engine(AuthorizationPolicy.Types.Action.Deny, Rule(from: s => s.NotNamespaces.Add("foo")));

        Assert.True(Decide(engine, 9000).Allowed);
        Assert.False(Decide(engine, 9000, principal: "cluster.local/ns/bar/sa/sleep").Allowed);
        Assert.False(Decide(engine, 9000, principal: null).Allowed);
    }

    [Fact]
    public void IpBlocksAndRemoteIpBlocks_MatchTheConnectionsPeerAddress()
    {
        var engine = Engine(
            AuthorizationPolicy.Types.Action.Allow,
            Rule(from: s => s.IpBlocks.Add("10.0.0.0/29")),
            Rule(from: s => s.RemoteIpBlocks.Add("192.168.1.1")));

        Assert.True(Decide(engine, 9000, source: IPAddress.Parse("10.0.0.7")).Allowed);
        Assert.True(Decide(engine, 9000, source: IPAddress.Parse("192.168.1.1")).Allowed);
        Assert.False(Decide(engine, 9000, source: IPAddress.Parse("10.0.0.8")).Allowed);
    }

    [Fact]
    public void Conditions_DestinationPortSniSourcePrincipalAndDestinationIp()
    {
        var engine = Engine(
            AuthorizationPolicy.Types.Action.Allow,
            Rule(when: [When("destination.port", "9000"), When("connection.sni", "*.foo.svc.cluster.local"), When("source.principal", Sleep), When("destination.ip", "10.0.0.0/24")]));

        Assert.True(Decide(engine, 9000, sni: "outbound_.9000_._.tcp-echo.foo.svc.cluster.local").Allowed);
        Assert.False(Decide(engine, 9001, sni: "outbound_.9000_._.tcp-echo.foo.svc.cluster.local").Allowed);
        Assert.False(Decide(engine, 9000, sni: null).Allowed);
        Assert.False(Decide(engine, 9000, principal: null, sni: "outbound_.9000_._.tcp-echo.foo.svc.cluster.local").Allowed);
    }

    [Fact]
    public void AllowRule_HttpOnlyCondition_NeverMatchesTcp()
    {
        var engine = Engine(AuthorizationPolicy.Types.Action.Allow, Rule(to: o => o.Ports.Add("9000"), when: When("request.auth.claims[iss]", "issuer")));

        Assert.False(Decide(engine, 9000).Allowed);
    }

    [Fact]
    public void SameRules_StillApplyToHttpRequestsAsBefore()
    {
        var engine = Engine(AuthorizationPolicy.Types.Action.Allow, Rule(to: o => { o.Methods.Add("GET"); o.Ports.Add("9000"); }));
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/";
        context.Connection.RemoteIpAddress = Caller;

        Assert.True(engine.Evaluate(new AuthorizationInput(context.Request, 9000, Sleep, "foo", null, null)).Allowed);
    }

    [Fact]
    public void EvaluateTcp_DoesNotAllocate()
    {
        var engine = Engine(
            AuthorizationPolicy.Types.Action.Deny,
            Rule(to: o => { o.Methods.Add("GET"); o.Ports.Add("9002"); }),
            Rule(from: s => s.NotNamespaces.Add("foo"), when: When("connection.sni", "*.svc.cluster.local")));
        var input = AuthorizationInput.Tcp(9000, Sleep, "foo", "outbound_.9000_._.tcp-echo.foo.svc.cluster.local", Caller, Pod);
        engine.Evaluate(input);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            engine.Evaluate(input);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
