namespace Heddle.Config.Tests.Validation;

public class ResourceNameRuleTests
{
    [Fact]
    public void Load_UpperCaseName_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: Reviews}
            spec: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:3 metadata.name: must be a DNS-1123 name (lower-case letters, digits, '-' and '.', at most 253 characters), got \"Reviews\"", result.Diagnostics);
    }

    [Fact]
    public void Load_ServiceNameStartingWithDigit_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: 1reviews}
            spec: {ports: [{port: 9080}]}
            """);

        DiagnosticAssert.Contains("test.yaml:3 metadata.name: a Service name must be a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters), got \"1reviews\"", result.Diagnostics);
    }

    [Fact]
    public void Load_InvalidNamespace_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: my_ns}
            spec: {ports: [{port: 9080}]}
            """);

        DiagnosticAssert.Contains("test.yaml:3 metadata.namespace: must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters), got \"my_ns\"", result.Diagnostics);
    }

    [Fact]
    public void Load_InvalidLabelValue_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec:
              ports: [{port: 9080}]
              selector: {app: "reviews service"}
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.selector.app: invalid label value \"reviews service\": expected at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit", result.Diagnostics);
    }
}
