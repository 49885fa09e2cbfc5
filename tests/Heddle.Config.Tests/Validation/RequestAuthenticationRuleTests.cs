namespace Heddle.Config.Tests.Validation;

public class RequestAuthenticationRuleTests
{
    [Fact]
    public void Load_IstioJwtTask_Loads()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: "jwt-example"
              namespace: foo
            spec:
              selector:
                matchLabels:
                  app: httpbin
              jwtRules:
              - issuer: "testing@secure.istio.io"
                jwksUri: "https://raw.githubusercontent.com/istio/istio/release-1.24/security/tools/jwt/samples/jwks.json"
                forwardOriginalToken: true
                outputClaimToHeaders:
                - header: "x-jwt-claim-foo"
                  claim: "foo"
            """);

        DiagnosticAssert.None(result.Diagnostics);
        var rule = Assert.Single(Assert.Single(result.Config.RequestAuthentications).Spec.JwtRules);
        Assert.Equal("testing@secure.istio.io", rule.Issuer);
        Assert.True(rule.ForwardOriginalToken);
    }

    [Fact]
    public void Load_InlineJwksThatIsNotAKeySet_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt}
            spec:
              jwtRules:
              - issuer: "me"
                jwks: '{"kees": []}'
            """);

        DiagnosticAssert.Contains("test.yaml:7 spec.jwtRules[0].jwks: not a JSON Web Key Set: expected an object with a \"keys\" array", result.Diagnostics);
    }

    [Fact]
    public void Load_RuleWithoutIssuer_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt}
            spec:
              jwtRules:
              - jwksUri: "http://keys.local/jwks.json"
            """);

        Assert.Contains(result.Diagnostics, d => d.Path == "spec.jwtRules[0].issuer" && d.Message == "required field is missing");
    }
}
