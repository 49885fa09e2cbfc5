namespace Heddle.Config.Tests.Validation;

public class HttpMatchRuleTests
{
    [Fact]
    public void Load_EveryMatchField_IsAcceptedWithoutDiagnostics()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - name: all
                  uri: {prefix: /Api}
                  ignoreUriCase: true
                  scheme: {exact: http}
                  method: {regex: "PUT|PATCH"}
                  authority: {prefix: reviews}
                  headers:
                    end-user: {exact: jason}
                    x-debug: {}
                  withoutHeaders:
                    x-block: {}
                  queryParams:
                    debug: {exact: ""}
                    id: {regex: "\\d+"}
                  port: 9080
                  sourceLabels: {app: productpage}
                  sourceNamespace: default
                  gateways: [mesh]
                  statPrefix: all
                route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.None(result.Diagnostics);
    }

    [Fact]
    public void Load_QueryParamPrefix_WarnsThatIstioDoesNotSupportIt()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - queryParams:
                    user:
                      prefix: ab
                route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:10 spec.http[0].match[0].queryParams.user.prefix: warning: Istio does not support prefix matching for query parameters; Heddle matches it as a prefix, use exact or regex to behave the same on Istio", result.Diagnostics);
        DiagnosticAssert.NoErrors(result.Diagnostics);
    }

    [Theory]
    [InlineData("headers", "method")]
    [InlineData("withoutHeaders", "authority")]
    public void Load_HeaderKeyNamingARequestProperty_WarnsThatItIsIgnored(string field, string key)
    {
        var result = Yaml.Load($$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - {{field}}:
                    {{key}}: {exact: GET}
                route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains($"test.yaml:9 spec.http[0].match[0].{field}.{key}: warning: the key '{key}' is ignored here, as in Istio; use match.{key} to match the request's {key}", result.Diagnostics);
    }

    [Fact]
    public void Load_IgnoreUriCaseWithRegex_Warns()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - uri: {regex: "/users/[0-9]+"}
                  ignoreUriCase: true
                route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:9 spec.http[0].match[0].ignoreUriCase: warning: ignoreUriCase applies only to exact and prefix URI matches; start the regex with (?i) to ignore case", result.Diagnostics);
    }

    [Fact]
    public void Load_JwtClaimHeader_IsReportedAsNotSupported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - headers:
                    "@request.auth.claims.group": {exact: admin}
                route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:9 spec.http[0].match[0].headers[\"@request.auth.claims.group\"]: not supported: JWT claim conditions need request authentication, which Heddle does not provide", result.Diagnostics);
    }

    [Fact]
    public void Load_InvalidRegexInMethod_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - method: {regex: "(GET"}
                route:
                - destination: {host: reviews}
            """);

        Assert.Contains(result.Diagnostics, d => d.Severity == Severity.Error && d.Path == "spec.http[0].match[0].method.regex");
    }
}
