namespace Heddle.Config.Tests.Validation;

public class VirtualServiceHostsRuleTests
{
    [Fact]
    public void Load_VirtualServiceWithoutHosts_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              http:
              - route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:4 spec.hosts: required field is missing (only a VirtualService that another one delegates to may omit hosts)", result.Diagnostics);
    }

    [Fact]
    public void Load_DelegateWithoutHosts_IsAccepted()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: root}
            spec:
              hosts: [reviews]
              http:
              - match: [{uri: {prefix: /v2}}]
                delegate: {name: reviews-v2}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-v2}
            spec:
              http:
              - route:
                - destination: {host: reviews, subset: v2}
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal(2, result.Config.VirtualServices.Length);
    }

    [Fact]
    public void Load_InvalidHost_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews, "http://reviews"]
              http:
              - route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:5 spec.hosts[1]: expected a host name such as \"reviews\", \"reviews.prod.svc.cluster.local\" or \"*.example.com\", got \"http://reviews\"", result.Diagnostics);
    }

    [Fact]
    public void Load_WildcardHostForSidecars_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: everything}
            spec:
              hosts: ["*"]
              http:
              - route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:5 spec.hosts[0]: the wildcard host \"*\" is not allowed for a VirtualService that applies to sidecars (gateway \"mesh\")", result.Diagnostics);
    }

    [Fact]
    public void Load_WildcardDestinationHost_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: "*.example.com"}
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.http[0].route[0].destination.host: expected a service host name such as \"reviews\" or \"reviews.prod.svc.cluster.local\" (no wildcards), got \"*.example.com\"", result.Diagnostics);
    }
}
