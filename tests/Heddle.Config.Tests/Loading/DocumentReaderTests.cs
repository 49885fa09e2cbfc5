namespace Heddle.Config.Tests.Loading;

public class DocumentReaderTests
{
    [Fact]
    public void Load_UnknownKind_IsAnErrorWithSuggestion()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualServce
            metadata: {name: reviews}
            spec: {hosts: [reviews]}
            """);

        DiagnosticAssert.Contains("test.yaml:2 kind: unknown kind \"VirtualServce\" (did you mean \"VirtualService\"?)", result.Diagnostics);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public void Load_UnknownApiVersionForKnownKind_NamesTheAcceptedVersions()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v2
            kind: VirtualService
            metadata: {name: reviews}
            spec: {hosts: [reviews]}
            """);

        DiagnosticAssert.Contains("test.yaml:1 apiVersion: VirtualService is read from apiVersion networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3, got \"networking.istio.io/v2\"", result.Diagnostics);
    }

    [Fact]
    public void Load_WellKnownKindHeddleDoesNotRead_IsAWarning()
    {
        var result = Yaml.Load("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: reviews-v1}
            spec: {replicas: 1}
            """);

        DiagnosticAssert.Contains("test.yaml:2 kind: warning: Heddle does not read apps/v1 Deployment; the resource is ignored", result.Diagnostics);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void Load_MissingKind_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            metadata: {name: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:1 kind: required field is missing", result.Diagnostics);
    }

    [Fact]
    public void Load_UnknownTopLevelField_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            specs:
              ports: [{port: 9080}]
            """);

        DiagnosticAssert.Contains("test.yaml:4 specs: unknown field \"specs\" (did you mean \"spec\"?)", result.Diagnostics);
        DiagnosticAssert.Contains("test.yaml:1 spec: required field is missing", result.Diagnostics);
    }

    [Fact]
    public void Load_SyntaxError_ReportsTheLineAndLeavesTheFileOut()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews
            spec:
              ports: [{port: 9080}]
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Error, diagnostic.Severity);
        Assert.StartsWith("invalid YAML: ", diagnostic.Message, StringComparison.Ordinal);
        Assert.InRange(diagnostic.Line, 3, 5);
        Assert.Empty(result.Config.Services);
    }

    [Fact]
    public void Load_DocumentThatIsNotAMapping_IsReported()
    {
        var result = Yaml.Load("""
            - apiVersion: v1
            """);

        DiagnosticAssert.Contains("test.yaml:1: expected a resource (a mapping with apiVersion, kind, metadata and spec), got a list", result.Diagnostics);
    }

    [Fact]
    public void Load_EmptyDocumentsAndComments_AreSkipped()
    {
        var result = Yaml.Load("""
            # nothing here
            ---
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec:
              ports: [{port: 9080}]
            ---
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Single(result.Config.Services);
    }

    [Fact]
    public void Load_KubernetesList_ReadsEveryItem()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Service
              metadata: {name: reviews}
              spec: {ports: [{port: 9080}]}
            - apiVersion: v1
              kind: Service
              metadata: {name: ratings}
              spec: {ports: [{port: 9080}]}
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal(["reviews", "ratings"], result.Config.Services.Select(s => s.Metadata.Name));
    }

    [Fact]
    public void Load_BadDocument_DoesNotSpoilTheOthersInTheFile()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec: {ports: [{port: 0}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings}
            spec: {ports: [{port: 9080}]}
            """);

        DiagnosticAssert.Contains("test.yaml:4 spec.ports[0].port: a port must be between 1 and 65535, got 0", result.Diagnostics);
        Assert.Equal("ratings", Assert.Single(result.Config.Services).Metadata.Name);
    }

    [Fact]
    public void Load_SourceLocation_RecordsFileDocumentLineAndFieldLines()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec: {ports: [{port: 9080}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination:
                    host: reviews
            """);

        var source = result.Config.VirtualServices[0].Source;
        Assert.Equal("test.yaml", source.File);
        Assert.Equal(6, source.Line);
        Assert.Equal(14, source.LineOf("spec.http[0].route[0].destination.host"));
        Assert.Equal(13, source.LineOf("spec.http[0].route[0].destination.subset"));
    }

    [Fact]
    public void Load_EmptySpec_NamesTheMissingRequiredFields()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
            """);

        DiagnosticAssert.Contains("test.yaml:4 spec.host: required field is missing", result.Diagnostics);
    }
}
