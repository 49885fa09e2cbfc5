namespace Heddle.Config.Tests.Validation;

public class TrafficPolicyRuleTests
{
    [Fact]
    public void Load_CircuitBreakerTaskRule_NoDiagnostics()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: httpbin}
            spec:
              host: httpbin
              trafficPolicy:
                connectionPool:
                  tcp:
                    maxConnections: 1
                  http:
                    http1MaxPendingRequests: 1
                    maxRequestsPerConnection: 1
                outlierDetection:
                  consecutive5xxErrors: 1
                  interval: 1s
                  baseEjectionTime: 3m
                  maxEjectionPercent: 100
            """);

        DiagnosticAssert.None(result.Diagnostics);
    }

    [Fact]
    public void Load_MaglevTableSizeNotPrime_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: web}
            spec:
              host: web
              trafficPolicy:
                loadBalancer:
                  consistentHash:
                    httpHeaderName: x-user
                    maglev: {tableSize: 1000}
            """);

        DiagnosticAssert.Contains("test.yaml:10 spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: the Maglev table size must be a prime number, got 1000", result.Diagnostics);
    }

    [Fact]
    public void Load_NegativeCountsAndZeroDurations_AreReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: web}
            spec:
              host: web
              trafficPolicy:
                portLevelSettings:
                - port: {number: 80}
                  connectionPool:
                    tcp: {maxConnections: -1, connectTimeout: 0s}
                  outlierDetection: {consecutive5xxErrors: -2, interval: 0s}
            """);

        DiagnosticAssert.Contains("test.yaml:10 spec.trafficPolicy.portLevelSettings[0].connectionPool.tcp.maxConnections: cannot be negative, got -1", result.Diagnostics);
        DiagnosticAssert.Contains("test.yaml:10 spec.trafficPolicy.portLevelSettings[0].connectionPool.tcp.connectTimeout: a duration must be at least 1ms, got 0ms", result.Diagnostics);
        DiagnosticAssert.Contains("test.yaml:11 spec.trafficPolicy.portLevelSettings[0].outlierDetection.consecutive5xxErrors: cannot be negative, got -2", result.Diagnostics);
        DiagnosticAssert.Contains("test.yaml:11 spec.trafficPolicy.portLevelSettings[0].outlierDetection.interval: a duration must be at least 1ms, got 0ms", result.Diagnostics);
    }

    [Fact]
    public void Load_EmptyConnectionPool_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: web}
            spec:
              host: web
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  connectionPool: {}
            """);

        DiagnosticAssert.Contains("test.yaml:10 spec.subsets[0].trafficPolicy.connectionPool: a connection pool needs tcp or http settings", result.Diagnostics);
    }

    [Fact]
    public void Load_FailoverWithoutOutlierDetection_Warns()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: web}
            spec:
              host: web
              trafficPolicy:
                loadBalancer:
                  localityLbSetting:
                    failover:
                    - {from: us-east, to: eu-west}
            """);

        DiagnosticAssert.NoErrors(result.Diagnostics);
        Assert.Contains(result.Diagnostics, d => d.Severity == Severity.Warning && d.ToString() == "test.yaml:8 spec.trafficPolicy.loadBalancer.localityLbSetting: warning: locality failover needs an outlierDetection policy; without one it has no effect");
    }
}
