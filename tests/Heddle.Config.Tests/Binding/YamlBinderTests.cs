using Heddle.Config.Model;

namespace Heddle.Config.Tests.Binding;

public class YamlBinderTests
{
    [Fact]
    public void Load_UnknownFieldWithoutLookalike_ListsTheExpectedFields()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              zzz: 1
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.zzz: unknown field \"zzz\"; expected one of host, trafficPolicy, subsets, exportTo, workloadSelector", result.Diagnostics);
        Assert.Empty(result.Config.DestinationRules);
    }

    [Fact]
    public void Load_MisspelledNestedField_SuggestsTheRightName()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets:
              - name: v1
                lables: {version: v1}
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.subsets[0].lables: unknown field \"lables\" (did you mean \"labels\"?)", result.Diagnostics);
    }

    [Fact]
    public void Load_StringWhereNumberExpected_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec:
              ports:
              - port: "9080"
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.ports[0].port: expected an integer, got the string \"9080\"", result.Diagnostics);
    }

    [Fact]
    public void Load_NumberWhereStringExpected_AsksToQuoteIt()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              command: [python3]
              env:
              - name: PORT
                value: 8080
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.env[0].value: expected a string, got the number 8080 (quote it: \"8080\")", result.Diagnostics);
    }

    [Fact]
    public void Load_ScalarWhereListExpected_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: reviews
              http:
              - route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:5 spec.hosts: expected a list, got the string \"reviews\"", result.Diagnostics);
    }

    [Fact]
    public void Load_MissingRequiredField_IsReportedAtItsParent()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - route:
                - weight: 100
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.http[0].route[0].destination: required field is missing", result.Diagnostics);
    }

    [Fact]
    public void Load_MissingMetadataName_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              namespace: prod
            spec:
              host: reviews
            """);

        DiagnosticAssert.Contains("test.yaml:3 metadata.name: required field is missing", result.Diagnostics);
    }

    [Fact]
    public void Load_TwoFieldsOfOneOf_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - uri:
                    exact: /a
                    prefix: /b
                route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:10 spec.http[0].match[0].uri.prefix: only one of \"exact\" and \"prefix\" may be set", result.Diagnostics);
    }

    [Fact]
    public void Load_EnumValues_UseIstioSpelling()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: {simple: LEAST_REQUEST}
                tls: {mode: ISTIO_MUTUAL}
                connectionPool:
                  http: {h2UpgradePolicy: DO_NOT_UPGRADE}
            """);

        DiagnosticAssert.None(result.Diagnostics);
        var policy = result.Config.DestinationRules[0].Spec.TrafficPolicy!;
        Assert.Equal(SimpleLoadBalancer.LeastRequest, policy.LoadBalancer!.Simple);
        Assert.Equal(TlsMode.IstioMutual, policy.Tls!.Mode);
        Assert.Equal(H2UpgradePolicy.DoNotUpgrade, policy.ConnectionPool!.Http!.H2UpgradePolicy);
    }

    [Fact]
    public void Load_UnknownEnumValue_ListsTheValidOnes()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: {simple: round_robin}
            """);

        DiagnosticAssert.Contains("test.yaml:7 spec.trafficPolicy.loadBalancer.simple: expected one of UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST, got the string \"round_robin\"", result.Diagnostics);
    }

    [Fact]
    public void Load_KubernetesEnum_UsesKubernetesSpelling()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec:
              type: ClusterIP
              ports: [{port: 9080}]
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal(ServiceType.ClusterIP, result.Config.Services[0].Spec.Type);
    }

    [Fact]
    public void Load_InvalidDuration_SaysWhatWasExpected()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - timeout: 5 seconds
                route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:7 spec.http[0].timeout: expected a duration such as \"1.5s\", \"100ms\" or \"1m30s\", got \"5 seconds\"", result.Diagnostics);
    }

    [Fact]
    public void Load_PortOutOfRange_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec:
              ports:
              - port: 70000
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.ports[0].port: a port must be between 1 and 65535, got 70000", result.Diagnostics);
    }

    [Fact]
    public void Load_WeightAbove100_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews}
                  weight: 120
            """);

        DiagnosticAssert.Contains("test.yaml:9 spec.http[0].route[0].weight: must be between 0 and 100, got 120", result.Diagnostics);
    }

    [Fact]
    public void Load_InvalidRegex_IsReportedWithTheCompilerMessage()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - uri: {regex: "/api/(v1"}
                route:
                - destination: {host: reviews}
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(8, diagnostic.Line);
        Assert.Equal("spec.http[0].match[0].uri.regex", diagnostic.Path);
        Assert.StartsWith("invalid regular expression \"/api/(v1\"", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RegexWithBackreference_IsRejectedAsRe2Does()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - headers:
                    x-id: {regex: "(a)\\1"}
                route:
                - destination: {host: reviews}
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.http[0].match[0].headers.x-id.regex", diagnostic.Path);
        Assert.Contains("RE2", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Re2NamedGroup_IsAccepted()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match:
                - uri: {regex: "/users/(?P<id>[0-9]+)"}
                route:
                - destination: {host: reviews}
            """);

        DiagnosticAssert.None(result.Diagnostics);
    }

    [Fact]
    public void Load_NullValue_IsTreatedAsAbsent()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, labels: ~}
            spec:
              host: reviews
              trafficPolicy:
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Null(result.Config.DestinationRules[0].Spec.TrafficPolicy);
    }

    [Fact]
    public void Load_DeprecatedField_WarnsAndKeepsTheValue()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              trafficPolicy:
                outlierDetection: {consecutiveErrors: 5}
            """);

        DiagnosticAssert.Contains("test.yaml:7 spec.trafficPolicy.outlierDetection.consecutiveErrors: warning: \"consecutiveErrors\" is deprecated; use consecutive5xxErrors", result.Diagnostics);
        Assert.Equal(5, result.Config.DestinationRules[0].Spec.TrafficPolicy!.OutlierDetection!.ConsecutiveErrors);
    }

    [Fact]
    public void Load_ServerPopulatedMetadataAndStatus_AreAccepted()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews
              uid: 3c1f2a8e-0000-0000-0000-000000000000
              resourceVersion: "1234"
              creationTimestamp: "2024-01-01T00:00:00Z"
            spec:
              ports: [{port: 9080, name: http, targetPort: 9080, protocol: TCP}]
              clusterIP: 10.96.0.10
              clusterIPs: [10.96.0.10]
              sessionAffinity: None
              ipFamilies: [IPv4]
              ipFamilyPolicy: SingleStack
              internalTrafficPolicy: Cluster
            status:
              loadBalancer: {}
            """);

        DiagnosticAssert.None(result.Diagnostics);
    }

    [Fact]
    public void Load_LabelsMap_BindsKeysWithDotsAndSlashes()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata:
              name: web
              labels:
                app.kubernetes.io/name: web
            spec:
              command: [python3]
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal("web", result.Config.LocalWorkloads[0].Labels["app.kubernetes.io/name"]);
    }

    [Fact]
    public void Load_DuplicateKey_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              host: ratings
            """);

        Assert.True(result.HasErrors);
        Assert.Empty(result.Config.DestinationRules);
        Assert.StartsWith("test.yaml:6: invalid YAML: Duplicate key", result.Diagnostics[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AnchorsAndAliases_AreResolved()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets:
              - name: v1
                labels: &v1 {version: v1}
              - name: v1-canary
                labels: *v1
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal("v1", result.Config.DestinationRules[0].Spec.Subsets[1].Labels["version"]);
    }

    [Fact]
    public void Load_WrongTypeForRequiredField_IsReportedOnce()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: [reviews]
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("test.yaml:5 spec.host: expected a string, got a list", diagnostic.ToString());
    }

    [Fact]
    public void Load_EmptyRequiredList_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              command: []
            """);

        DiagnosticAssert.Contains("test.yaml:5 spec.command: must not be empty", result.Diagnostics);
    }
}
