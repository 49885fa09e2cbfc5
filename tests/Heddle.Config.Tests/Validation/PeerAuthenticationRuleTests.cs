using Heddle.Config.Model;

namespace Heddle.Config.Tests.Validation;

public class PeerAuthenticationRuleTests
{
    [Fact]
    public void Load_IstioMigrationTaskPolicies_LoadWithTheirModes()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: "default"
              namespace: "istio-system"
            spec:
              mtls:
                mode: STRICT
            ---
            apiVersion: security.istio.io/v1beta1
            kind: PeerAuthentication
            metadata:
              name: "httpbin"
              namespace: "bar"
            spec:
              selector:
                matchLabels:
                  app: httpbin
              mtls:
                mode: STRICT
              portLevelMtls:
                8080:
                  mode: DISABLE
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal(2, result.Config.PeerAuthentications.Length);
        Assert.Equal(PeerAuthenticationMode.Strict, result.Config.PeerAuthentications[0].Spec.Mtls!.Mode);
        Assert.Equal("httpbin", result.Config.PeerAuthentications[1].Spec.Selector!.MatchLabels["app"]);
        Assert.Equal(PeerAuthenticationMode.Disable, result.Config.PeerAuthentications[1].Spec.PortLevelMtls["8080"].Mode);
    }

    [Fact]
    public void Load_PortLevelMtlsWithoutSelector_IsAnError()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: foo}
            spec:
              portLevelMtls:
                "8080": {mode: DISABLE}
            """);

        Assert.Contains(result.Diagnostics, d => d.Severity == Severity.Error && d.Path == "spec.portLevelMtls" && d.Message.Contains("cannot have portLevelMtls", StringComparison.Ordinal));
        Assert.Empty(result.Config.PeerAuthentications);
    }

    [Fact]
    public void Load_PortLevelMtlsKeyThatIsNotAPort_IsAnError()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: web, namespace: foo}
            spec:
              selector: {matchLabels: {app: web}}
              portLevelMtls:
                http: {mode: DISABLE}
            """);

        Assert.Contains(result.Diagnostics, d => d.Severity == Severity.Error && d.Message.Contains("expected a port number", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownMode_IsAnErrorNamingTheField()
    {
        var result = Yaml.Load("""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: foo}
            spec:
              mtls: {mode: STRICTER}
            """);

        Assert.Contains(result.Diagnostics, d => d.Severity == Severity.Error && d.Path == "spec.mtls.mode");
    }
}
