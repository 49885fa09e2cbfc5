using Heddle.Config.Model;

namespace Heddle.Config.Tests;

public class ConfigLoaderTests
{
    [Fact]
    public void Load_IstioBookinfoVirtualService_LoadsWithoutProblems()
    {
        var result = ConfigLoader.LoadFiles([TestData.Path("bookinfo", "virtual-service-reviews-jason-v2-v3.yaml")]);

        DiagnosticAssert.None(result.Diagnostics);
        var reviews = Assert.Single(result.Config.VirtualServices);
        Assert.Equal("reviews", reviews.Metadata.Name);
        Assert.Equal("default", reviews.Metadata.Namespace);
        Assert.Equal("reviews", Assert.Single(reviews.Spec.Hosts));
        Assert.Equal("jason", reviews.Spec.Http[0].Match[0].Headers["end-user"].Exact);
        Assert.Equal("v2", reviews.Spec.Http[0].Route[0].Destination.Subset);
        Assert.Equal("v3", reviews.Spec.Http[1].Route[0].Destination.Subset);
    }

    [Fact]
    public void Load_ResourceWithBindingErrors_OtherMistakesReportedInTheSameRun()
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
                - destination: {host: reviews, subset: v1}
                  weight: 60
                - destination: {host: reviews, subset: v2}
                  weight: 30
                retries: {attempts: three, retryOn: "5xx,sometimes"}
            """);

        Assert.Empty(result.Config.VirtualServices);
        Assert.Contains(result.Diagnostics, d => d.Path == "spec.http[0].match[0].uri.regex");
        Assert.Contains(result.Diagnostics, d => d.Path == "spec.http[0].retries.attempts");
        // Found by the validation rules although the resource did not bind.
        DiagnosticAssert.Contains("test.yaml:13 spec.http[0].route[1].weight: weights of a route must sum to 100, got 90", result.Diagnostics);
        Assert.Contains(result.Diagnostics, d => d.Path == "spec.http[0].retries.retryOn" && d.Message.Contains("'sometimes'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ResourcesMissingRequiredFieldsAndMistyped_AreReportedWithoutFailingTheLoad()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - match: [{uri: {prefix: 7}}, {headers: {x: {exact: [1]}}}]
                route:
                - destination: {subset: v1}
                  weight: 50
                - destination: {host: 5, port: {number: x}}
                  weight: 50
                retries: {attempts: -1, perTryTimeout: soon}
                fault: {abort: {percentage: {value: high}}}
                mirror: {subset: v2}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              subsets: [{labels: {version: [v1]}}]
              trafficPolicy: {portLevelSettings: [{loadBalancer: {simple: NOPE}}]}
            """);

        Assert.True(result.HasErrors);
        Assert.Empty(result.Config.VirtualServices);
        Assert.Empty(result.Config.DestinationRules);
        Assert.All(result.Diagnostics, d => Assert.True(d.Line > 0, d.ToString()));
    }

    [Fact]
    public void Load_FieldThatDidNotBind_IsNotReportedAgainByTheRules()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews, subset: v1}
                  weight: 60
                - destination: {host: reviews, subset: v2}
                  weight: forty
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.http[0].route[1].weight", diagnostic.Path);
        Assert.DoesNotContain("sum to 100", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDirectory_Bookinfo_LoadsEveryKindAndWarnsAboutIgnoredKinds()
    {
        var result = ConfigLoader.LoadDirectory(TestData.Path("bookinfo"));

        Assert.False(result.HasErrors);
        DiagnosticAssert.Contains("services.yaml:17 kind: warning: Heddle does not read v1 ServiceAccount; the resource is ignored", result.Diagnostics);
        Assert.Equal(4, result.Config.Services.Length);
        Assert.Equal(4, result.Config.DestinationRules.Length);
        Assert.Equal(2, result.Config.VirtualServices.Length);
        Assert.Equal(6, result.Config.LocalWorkloads.Length);
    }

    [Fact]
    public void Load_TrafficShifting_KeepsWeightsAndAcceptsV1Alpha3()
    {
        var result = ConfigLoader.LoadFiles([TestData.Path("traffic-shifting", "virtual-service-reviews-50-v3.yaml")]);

        DiagnosticAssert.None(result.Diagnostics);
        var route = Assert.Single(result.Config.VirtualServices).Spec.Http[0].Route;
        Assert.Equal([50, 50], route.Select(d => d.Weight));
        Assert.Equal("networking.istio.io/v1alpha3", result.Config.VirtualServices[0].ApiVersion);
    }

    [Fact]
    public void Load_Httpbin_ParsesDurationsPortsAndProbe()
    {
        var result = ConfigLoader.LoadFiles([TestData.Path("httpbin", "httpbin.yaml")]);

        DiagnosticAssert.None(result.Diagnostics);
        var route = result.Config.VirtualServices[0].Spec.Http[0];
        Assert.Equal(TimeSpan.FromSeconds(1.5), route.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), route.Retries!.PerTryTimeout);
        Assert.Equal(8000, route.Route[0].Destination.Port!.Number);
        var service = Assert.Single(result.Config.Services);
        Assert.Equal(8080, service.Spec.Ports[0].TargetPortNumber);
        var workload = Assert.Single(result.Config.LocalWorkloads);
        Assert.Equal(IntOrString.FromNumber(8080), workload.Spec.ReadinessProbe!.HttpGet!.Port);
        Assert.Equal(1, workload.Spec.Replicas);
        var policy = result.Config.DestinationRules[0].Spec.TrafficPolicy!;
        Assert.Equal(TimeSpan.FromMinutes(3), policy.OutlierDetection!.BaseEjectionTime);
        Assert.Equal(TimeSpan.FromMilliseconds(30), policy.ConnectionPool!.Tcp!.ConnectTimeout);
    }

    [Fact]
    public void Load_WeightsNotSumming100_ReportsFileLineAndPath()
    {
        var result = ConfigLoader.LoadDirectory(TestData.Path("invalid"));

        DiagnosticAssert.Contains("routes.yaml:18 spec.http[0].route[1].weight: weights of a route must sum to 100, got 90", result.Diagnostics);
    }

    [Fact]
    public void LoadDirectory_ResourceWithErrors_IsLeftOutAndTheRestLoads()
    {
        var result = ConfigLoader.LoadDirectory(TestData.Path("invalid"));

        Assert.True(result.HasErrors);
        Assert.Empty(result.Config.VirtualServices);
        Assert.Equal("reviews", Assert.Single(result.Config.Services).Metadata.Name);
    }

    [Fact]
    public void Load_UnknownField_IsReportedWithPath()
    {
        var result = ConfigLoader.LoadDirectory(TestData.Path("invalid"));

        DiagnosticAssert.Contains("routes.yaml:32 spec.http[0].retry: unknown field \"retry\" (did you mean \"retries\"?)", result.Diagnostics);
    }

    [Fact]
    public void Load_NumberWhereDurationExpected_IsReported()
    {
        var result = ConfigLoader.LoadDirectory(TestData.Path("invalid"));

        DiagnosticAssert.Contains("routes.yaml:31 spec.http[0].timeout: expected a duration such as \"1.5s\" or \"100ms\", got the number 10", result.Diagnostics);
    }
}
