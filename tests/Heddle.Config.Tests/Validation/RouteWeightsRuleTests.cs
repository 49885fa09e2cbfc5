namespace Heddle.Config.Tests.Validation;

public class RouteWeightsRuleTests
{
    [Fact]
    public void Load_WeightsSumming100_IsAccepted()
    {
        var result = Yaml.Load(Routes(80, 20));

        DiagnosticAssert.None(result.Diagnostics);
    }

    [Fact]
    public void Load_WeightsNotSumming100_PointsAtTheLastWeight()
    {
        var result = Yaml.Load(Routes(50, 40));

        DiagnosticAssert.Contains("test.yaml:12 spec.http[0].route[1].weight: weights of a route must sum to 100, got 90", result.Diagnostics);
        Assert.Empty(result.Config.VirtualServices);
    }

    [Fact]
    public void Load_TcpWeightsNotSumming100_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: db}
            spec:
              hosts: [db]
              tcp:
              - route:
                - destination: {host: db, subset: a}
                  weight: 30
                - destination: {host: db, subset: b}
                  weight: 30
            """);

        DiagnosticAssert.Contains("test.yaml:11 spec.tcp[0].route[1].weight: weights of a route must sum to 100, got 60", result.Diagnostics);
    }

    [Fact]
    public void Load_SingleDestinationWithPartialWeight_Warns()
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
                  weight: 50
            """);

        DiagnosticAssert.Contains("test.yaml:9 spec.http[0].route[0].weight: warning: a single destination receives all traffic; weight 50 has no effect", result.Diagnostics);
        Assert.Single(result.Config.VirtualServices);
    }

    private static string Routes(int first, int second) => $$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews, subset: v1}
              weight: {{first}}
            - destination:
                host: reviews
              weight: {{second}}
        """;
}
