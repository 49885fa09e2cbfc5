namespace Heddle.Config.Tests.Validation;

public class AuthorizationPolicyRuleTests
{
    [Fact]
    public void Load_IstioHttpTrafficPolicy_Loads()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: "productpage-viewer"
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: productpage
              action: ALLOW
              rules:
              - from:
                - source:
                    principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]
                to:
                - operation:
                    methods: ["GET"]
                    paths: ["/api/*", "*/reviews", "/health"]
                    ports: ["9080"]
                when:
                - key: request.headers[version]
                  values: ["v1", "v2"]
                - key: source.ip
                  notValues: ["10.1.0.0/16"]
            """);

        DiagnosticAssert.None(result.Diagnostics);
        var policy = Assert.Single(result.Config.AuthorizationPolicies);
        Assert.Equal("productpage", policy.Spec.Selector!.MatchLabels["app"]);
        Assert.Equal(["GET"], policy.Spec.Rules[0].To[0].Operation!.Methods.ToArray());
        Assert.Equal("request.headers[version]", policy.Spec.Rules[0].When[0].Key);
    }

    [Fact]
    public void Load_AllowNothing_HasNoRules()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1beta1
            kind: AuthorizationPolicy
            metadata: {name: allow-nothing, namespace: default}
            spec: {}
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Empty(Assert.Single(result.Config.AuthorizationPolicies).Spec.Rules);
    }

    [Theory]
    [InlineData("ports: [\"http\"]", "test.yaml:10 spec.rules[0].to[0].operation.ports[0]: \"http\" is not a port number (1-65535)")]
    [InlineData("paths: [\"/a*b\"]", "test.yaml:10 spec.rules[0].to[0].operation.paths[0]: \"/a*b\": '*' may only stand alone, or at the start or the end")]
    [InlineData("paths: [\"api\"]", "test.yaml:10 spec.rules[0].to[0].operation.paths[0]: \"api\": a path starts with '/' (or '*')")]
    public void Load_BadOperationValue_IsReported(string field, string expected)
    {
        var result = Yaml.Load($"""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {"{"}name: p{"}"}
            spec:
              action: DENY
              rules:
              - to:
                - operation:
                    methods: ["GET"]
                    {field}
            """);

        DiagnosticAssert.Contains(expected, result.Diagnostics);
    }

    [Fact]
    public void Load_UnknownConditionKey_IsReportedWithTheKnownOnes()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: p}
            spec:
              rules:
              - when:
                - key: request.header[x]
                  values: ["a"]
            """);

        var problem = Assert.Single(result.Diagnostics, d => d.Path == "spec.rules[0].when[0].key");
        Assert.Equal(7, problem.Line);
        Assert.Contains("unknown attribute \"request.header[x]\"", problem.Message, StringComparison.Ordinal);
        Assert.Empty(result.Config.AuthorizationPolicies);
    }

    [Fact]
    public void Load_CustomWithoutProvider_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ext}
            spec:
              action: CUSTOM
              rules: [{}]
            """);

        DiagnosticAssert.Contains("test.yaml:4 spec.provider.name: a CUSTOM policy must name its provider", result.Diagnostics);
    }

    [Fact]
    public void Load_BadIpBlock_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: p}
            spec:
              action: DENY
              rules:
              - from:
                - source:
                    ipBlocks: ["10.0.0.0/40"]
            """);

        DiagnosticAssert.Contains("test.yaml:9 spec.rules[0].from[0].source.ipBlocks[0]: \"10.0.0.0/40\" is not an IP address or CIDR block", result.Diagnostics);
    }

    [Fact]
    public void Load_UnknownField_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: p}
            spec:
              rules:
              - from:
                - source:
                    principal: ["x"]
            """);

        Assert.Contains(result.Diagnostics, d => d.Line == 8 && d.Path.Contains("principal", StringComparison.Ordinal) && d.Severity == Severity.Error);
    }
}
