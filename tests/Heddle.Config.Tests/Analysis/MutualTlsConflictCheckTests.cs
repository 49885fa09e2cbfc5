namespace Heddle.Config.Tests.Analysis;

public class MutualTlsConflictCheckTests
{
    private const string Mesh = """
        apiVersion: v1
        kind: Service
        metadata: {name: httpbin, namespace: foo}
        spec:
          selector: {app: httpbin}
          ports: [{name: http, port: 8000}]
        ---
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata: {name: httpbin, namespace: foo, labels: {app: httpbin}}
        spec:
          command: ["true"]
          ports: [{name: http, containerPort: 8000}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: foo}
        spec:
          host: httpbin
          trafficPolicy:
            tls: {mode: DISABLE}
        ---
        """;

    [Fact]
    public void Analyze_PlaintextClientsOfAStrictWorkload_Warns()
    {
        var diagnostics = Yaml.Analyze(Mesh + "\n" + """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: istio-system}
            spec:
              mtls: {mode: STRICT}
            """);

        var warning = Assert.Single(diagnostics, d => d.Path == "spec.trafficPolicy.tls.mode");
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("PeerAuthentication istio-system/default is STRICT", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_PlaintextClientsOfAPermissiveWorkload_IsFine()
    {
        var diagnostics = Yaml.Analyze(Mesh + "\n" + """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: istio-system}
            spec:
              mtls: {mode: STRICT}
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: foo}
            spec:
              mtls: {mode: PERMISSIVE}
            """);

        Assert.DoesNotContain(diagnostics, d => d.Path == "spec.trafficPolicy.tls.mode");
    }
}
