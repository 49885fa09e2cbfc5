namespace Heddle.Config.Tests.Analysis;

public class DelegateCheckTests
{
    [Fact]
    public void Analyze_DelegateToMissingVirtualService_ReportsError()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec: {ports: [{port: 9080}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: root}
            spec:
              hosts: [reviews]
              http:
              - delegate: {name: reviews-routes, namespace: team}
            """);

        DiagnosticAssert.Contains("test.yaml:12 spec.http[0].delegate.name: no VirtualService team/reviews-routes exists to delegate to", diagnostics);
    }
}
