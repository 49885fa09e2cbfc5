namespace Heddle.Config.Tests.Analysis;

public class SelectorChecksTests
{
    [Fact]
    public void Analyze_ServiceSelectorMatchingNoWorkload_Warns()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec:
              ports: [{port: 9080}]
              selector: {app: reviews}
            ---
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: reviews-v1, labels: {app: review}}
            spec: {command: [python3]}
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("test.yaml:6 spec.selector: warning: selector app=reviews matches no LocalWorkload or WorkloadEntry in namespace default; the service has no endpoints", diagnostic.ToString());
        Assert.Equal(Severity.Warning, diagnostic.Severity);
    }

    [Fact]
    public void Analyze_ServiceSelectingAWorkloadEntry_IsFine()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: v1
            kind: Service
            metadata: {name: details}
            spec:
              ports: [{port: 9080, name: http}]
              selector: {app: details}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: details-vm}
            spec: {address: 10.0.0.7, labels: {app: details}}
            """);

        DiagnosticAssert.None(diagnostics);
    }

    [Fact]
    public void Analyze_SubsetMatchingNoWorkloadOfTheService_Warns()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec:
              ports: [{port: 9080}]
              selector: {app: reviews}
            ---
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: reviews-v1, labels: {app: reviews, version: v1}}
            spec: {command: [python3]}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets:
              - {name: v1, labels: {version: V1}}
            """);

        DiagnosticAssert.Contains("test.yaml:19 spec.subsets[0].labels: warning: subset \"v1\" (version=V1) matches none of the workloads of reviews.default.svc.cluster.local", diagnostics);
    }

    [Fact]
    public void Analyze_DestinationRuleForUnknownHost_Warns()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:4 spec.host: warning: no Service or ServiceEntry defines host \"reviews\" (resolved as reviews.default.svc.cluster.local); the rule has no effect", diagnostics);
    }

    [Fact]
    public void Analyze_NamedTargetPortNoWorkloadDeclares_Warns()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{port: 80, targetPort: web}]
              selector: {app: web}
            ---
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web, labels: {app: web}}
            spec:
              command: [python3]
              ports: [{name: http, containerPort: 8080}]
            """);

        DiagnosticAssert.Contains("test.yaml:5 spec.ports[0].targetPort: warning: targetPort \"web\" is not a port name of LocalWorkload default/web", diagnostics);
    }
}
