namespace Heddle.Config.Tests.Analysis;

public class DelegateCheckTests
{
    private const string Root = """
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
          - match:
            - uri: {prefix: /api}
            delegate: {name: reviews-routes, namespace: team}
        """;

    [Fact]
    public void Analyze_DelegateToMissingVirtualService_ReportsError()
    {
        var diagnostics = Yaml.Analyze(Root);

        DiagnosticAssert.Contains("test.yaml:14 spec.http[0].delegate.name: no VirtualService team/reviews-routes exists to delegate to", diagnostics);
    }

    [Fact]
    public void Analyze_DelegateWithHosts_ReportsError()
    {
        var diagnostics = Yaml.Analyze(Root + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-routes, namespace: team}
            spec:
              hosts: [reviews.default.svc.cluster.local]
              http:
              - route:
                - destination: {host: reviews.default.svc.cluster.local}
            """);

        DiagnosticAssert.Contains("test.yaml:14 spec.http[0].delegate.name: VirtualService team/reviews-routes (test.yaml:16) names hosts, so it is not a delegate and its routes are not used here; remove its hosts", diagnostics);
    }

    [Fact]
    public void Analyze_DelegateNotExportedToRoot_ReportsError()
    {
        var diagnostics = Yaml.Analyze(Root + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-routes, namespace: team}
            spec:
              exportTo: ["."]
              http:
              - route:
                - destination: {host: reviews.default.svc.cluster.local}
            """);

        DiagnosticAssert.Contains("test.yaml:14 spec.http[0].delegate.name: VirtualService team/reviews-routes is not exported to namespace default (its exportTo is .)", diagnostics);
    }

    [Fact]
    public void Analyze_DelegateRouteOutsideRootMatch_WarnsItIsDropped()
    {
        var diagnostics = Yaml.Analyze(Root + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-routes, namespace: team}
            spec:
              http:
              - match:
                - uri: {prefix: /api/v1}
                route:
                - destination: {host: reviews.default.svc.cluster.local}
              - match:
                - uri: {prefix: /other}
                route:
                - destination: {host: reviews.default.svc.cluster.local}
            """);

        var warning = Assert.Single(diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.StartsWith("test.yaml:25 spec.http[1].match: warning: this route is dropped under default/root", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_DelegateThatDelegatesAgain_ReportsError()
    {
        var diagnostics = Yaml.Analyze(Root + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-routes, namespace: team}
            spec:
              http:
              - delegate: {name: deeper, namespace: team}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: deeper, namespace: team}
            spec:
              http:
              - route:
                - destination: {host: reviews.default.svc.cluster.local}
            """);

        DiagnosticAssert.Contains("test.yaml:21 spec.http[0].delegate: delegation is one level deep: this VirtualService is a delegate of default/root, so its routes may not delegate again", diagnostics);
    }
}
