namespace Heddle.Config.Tests.Analysis;

public class ConflictingVirtualServicesCheckTests
{
    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews}
        spec: {ports: [{port: 9080}]}
        ---

        """;

    [Fact]
    public void Analyze_TwoMeshVirtualServicesForOneHost_ReportsError()
    {
        var diagnostics = Yaml.Analyze(Service + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-a}
            spec:
              hosts: [reviews]
              http: [{route: [{destination: {host: reviews}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-b}
            spec:
              hosts: [reviews.default.svc.cluster.local]
              http: [{route: [{destination: {host: reviews}}]}]
            """);

        DiagnosticAssert.Contains("test.yaml:17 spec.hosts[0]: host reviews.default.svc.cluster.local is also routed by VirtualService default/reviews-a (test.yaml:6); sidecars use only one VirtualService per host, merge their routes", diagnostics);
    }

    [Fact]
    public void Analyze_GatewayVirtualServicesSharingAHost_AreMergedWithoutProblem()
    {
        var diagnostics = Yaml.Analyze(Service + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-a}
            spec:
              hosts: [reviews.example.com]
              gateways: [ingress]
              http: [{match: [{uri: {prefix: /a}}], route: [{destination: {host: reviews}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-b}
            spec:
              hosts: [reviews.example.com]
              gateways: [ingress]
              http: [{match: [{uri: {prefix: /b}}], route: [{destination: {host: reviews}}]}]
            """);

        DiagnosticAssert.None(diagnostics);
    }
}
