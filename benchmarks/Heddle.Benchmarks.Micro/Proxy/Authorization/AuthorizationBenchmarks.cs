using BenchmarkDotNet.Attributes;
using Heddle.Discovery.V1;
using Heddle.Proxy.Authorization;
using Microsoft.AspNetCore.Http;

namespace Heddle.Benchmarks.Micro.Proxy.Authorization;

/// <summary>
/// The inbound sidecar's authorization decision with 100 AuthorizationPolicies on the workload: 50 DENY policies
/// (a path prefix and a header condition each, none matching) and 50 ALLOW policies (a principal, methods and a
/// path each); the allowed request matches only the last ALLOW policy, the denied one matches none, so both scan
/// every policy.
/// </summary>
[MemoryDiagnoser]
public class AuthorizationBenchmarks
{
    private const int PoliciesPerAction = 50;
    private const string Caller = "cluster.local/ns/default/sa/sleep";

    private AuthorizationEngine _engine = AuthorizationEngine.AllowAll;
    private HttpRequest _allowed = null!;
    private HttpRequest _denied = null!;

    [GlobalSetup]
    public void Setup()
    {
        var policies = new AuthorizationPolicies();
        for (var i = 0; i < PoliciesPerAction; i++)
        {
            var deny = new AuthorizationPolicy { Name = $"default.deny-{i}", Action = AuthorizationPolicy.Types.Action.Deny };
            var denyRule = new AuthorizationRule();
            var denyOperation = new AuthorizationOperation();
            denyOperation.Paths.Add($"/admin-{i}/*");
            denyRule.To.Add(denyOperation);
            deny.Rules.Add(denyRule);
            var header = new AuthorizationRule();
            var condition = new AuthorizationCondition { Key = $"request.headers[x-block-{i}]" };
            condition.Values.Add("yes");
            header.When.Add(condition);
            deny.Rules.Add(header);
            policies.Policies.Add(deny);
        }

        for (var i = 0; i < PoliciesPerAction; i++)
        {
            var allow = new AuthorizationPolicy { Name = $"default.allow-{i}", Action = AuthorizationPolicy.Types.Action.Allow };
            var rule = new AuthorizationRule();
            var source = new AuthorizationSource();
            source.Principals.Add(i == PoliciesPerAction - 1 ? Caller : $"cluster.local/ns/default/sa/client-{i}");
            source.Namespaces.Add("default");
            rule.From.Add(source);
            var operation = new AuthorizationOperation();
            operation.Methods.Add("GET");
            operation.Methods.Add("HEAD");
            operation.Paths.Add("/api/*");
            rule.To.Add(operation);
            allow.Rules.Add(rule);
            policies.Policies.Add(allow);
        }

        _engine = AuthorizationEngine.Compile(policies);
        _allowed = Request("GET", "/api/items/42");
        _denied = Request("POST", "/api/items/42");
        if (!Allowed() || Denied())
        {
            throw new InvalidOperationException("the benchmark's requests are not decided as intended");
        }
    }

    [Benchmark(Baseline = true)]
    public bool Allowed() => _engine.Evaluate(new AuthorizationInput(_allowed, 8000, Caller, "default", null, null)).Allowed;

    [Benchmark]
    public bool Denied() => _engine.Evaluate(new AuthorizationInput(_denied, 8000, Caller, "default", null, null)).Allowed;

    private static HttpRequest Request(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new HostString("httpbin.default:8000");
        context.Request.Headers["user-agent"] = "bench";
        context.Request.Headers["accept"] = "*/*";
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("127.0.2.1");
        return context.Request;
    }
}
