namespace Heddle.Config.Tests.Analysis;

public class DestinationCheckTests
{
    private const string Reviews = """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: bookinfo}
        spec:
          host: reviews
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
        ---

        """;

    [Fact]
    public void Analyze_SubsetNotDeclared_ReportsError()
    {
        var diagnostics = Yaml.Analyze(Reviews + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews, subset: v3}
            """);

        DiagnosticAssert.Contains("test.yaml:23 spec.http[0].route[0].destination.subset: subset \"v3\" is not declared by DestinationRule bookinfo/reviews for reviews.bookinfo.svc.cluster.local", diagnostics);
    }

    [Fact]
    public void Analyze_SubsetWithoutAnyDestinationRule_ReportsError()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: v1
            kind: Service
            metadata: {name: ratings}
            spec:
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ratings}
            spec:
              hosts: [ratings]
              http:
              - route:
                - destination: {host: ratings, subset: v1}
            """);

        DiagnosticAssert.Contains("test.yaml:14 spec.http[0].route[0].destination.subset: subset \"v1\" is not declared: no DestinationRule exists for ratings.default.svc.cluster.local", diagnostics);
    }

    [Fact]
    public void Analyze_UnknownDestinationHost_ReportsErrorWithResolvedName()
    {
        var diagnostics = Yaml.Analyze(Reviews + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviewz}
            """);

        DiagnosticAssert.Contains("test.yaml:23 spec.http[0].route[0].destination.host: no Service or ServiceEntry defines host \"reviewz\" (resolved as reviewz.bookinfo.svc.cluster.local)", diagnostics);
    }

    [Theory]
    [InlineData("reviews")]
    [InlineData("reviews.bookinfo")]
    [InlineData("reviews.bookinfo.svc")]
    [InlineData("reviews.bookinfo.svc.cluster.local")]
    public void Analyze_KubernetesHostForms_ResolveToTheService(string host)
    {
        var diagnostics = Yaml.Analyze(Reviews + $$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: {{host}}, subset: v1}
            """);

        DiagnosticAssert.None(diagnostics);
    }

    [Fact]
    public void Analyze_ShortNameFromAnotherNamespace_DoesNotResolve()
    {
        var diagnostics = Yaml.Analyze(Reviews + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: frontend}
            spec:
              hosts: [reviews.bookinfo.svc.cluster.local]
              http:
              - route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:23 spec.http[0].route[0].destination.host: no Service or ServiceEntry defines host \"reviews\" (resolved as reviews.frontend.svc.cluster.local)", diagnostics);
    }

    [Fact]
    public void Analyze_DestinationPortTheServiceDoesNotHave_ReportsError()
    {
        var diagnostics = Yaml.Analyze(Reviews + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination:
                    host: reviews
                    port: {number: 8080}
            """);

        DiagnosticAssert.Contains("test.yaml:25 spec.http[0].route[0].destination.port.number: reviews.bookinfo.svc.cluster.local has no port 8080; its ports are 9080", diagnostics);
    }

    [Fact]
    public void Analyze_ServiceEntryHostsAndWildcards_AreDestinations()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: wikipedia}
            spec:
              hosts: ["*.wikipedia.org"]
              ports: [{number: 443, name: tls, protocol: TLS}]
              resolution: NONE
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: wikipedia}
            spec:
              hosts: ["*.wikipedia.org"]
              tls:
              - match: [{sniHosts: [en.wikipedia.org], port: 443}]
                route:
                - destination: {host: en.wikipedia.org, port: {number: 443}}
            """);

        DiagnosticAssert.None(diagnostics);
    }

    [Fact]
    public void Analyze_MirrorToUnknownHost_ReportsError()
    {
        var diagnostics = Yaml.Analyze(Reviews + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews, subset: v1}
                mirror: {host: reviews-shadow}
            """);

        DiagnosticAssert.Contains("test.yaml:24 spec.http[0].mirror.host: no Service or ServiceEntry defines host \"reviews-shadow\" (resolved as reviews-shadow.bookinfo.svc.cluster.local)", diagnostics);
    }
}
