namespace Heddle.Config.Tests.Validation;

public class DestinationRuleRulesTests
{
    [Fact]
    public void Load_FullTrafficPolicy_LoadsEveryField()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: prod}
            spec:
              host: reviews.prod.svc.cluster.local
              exportTo: ["."]
              workloadSelector: {matchLabels: {app: productpage}}
              trafficPolicy:
                loadBalancer:
                  consistentHash:
                    httpCookie: {name: user, ttl: 0s, path: /, attributes: [{name: SameSite, value: Strict}]}
                    ringHash: {minimumRingSize: 1024}
                  localityLbSetting:
                    enabled: true
                    distribute:
                    - from: us-west/zone1/*
                      to: {"us-west/zone1/*": 80, "us-west/zone2/*": 20}
                  warmup: {duration: 60s, minimumPercent: 10, aggression: 1.5}
                connectionPool:
                  tcp: {maxConnections: 100, connectTimeout: 30ms, tcpKeepalive: {probes: 3, time: 7200s, interval: 75s}, maxConnectionDuration: 1h, idleTimeout: 5m}
                  http: {http1MaxPendingRequests: 10, http2MaxRequests: 100, maxRequestsPerConnection: 10, maxRetries: 3, idleTimeout: 30s, useClientProtocol: true, maxConcurrentStreams: 100, http2KeepAlive: {interval: 10s, timeout: 2s}}
                outlierDetection: {consecutive5xxErrors: 5, consecutiveGatewayErrors: 3, consecutiveLocalOriginFailures: 2, splitExternalLocalOriginErrors: true, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50, minHealthPercent: 30, outlierDetectionHttpErrorCodes: [503]}
                tls: {mode: SIMPLE, sni: reviews.example.com, subjectAltNames: [spiffe://cluster.local/ns/prod/sa/reviews], insecureSkipVerify: false}
                portLevelSettings:
                - port: {number: 9080}
                  loadBalancer: {simple: ROUND_ROBIN, warmupDurationSecs: 30s}
                tunnel: {protocol: CONNECT, targetHost: reviews.example.com, targetPort: 443}
                proxyProtocol: {version: V2}
                retryBudget: {percent: 20, minRetryConcurrency: 3, budgetInterval: 10s}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  loadBalancer:
                    consistentHash: {useSourceIp: true, maglev: {tableSize: 65537}}
            """);

        DiagnosticAssert.None(result.Diagnostics);
        var spec = result.Config.DestinationRules[0].Spec;
        Assert.Equal(80, spec.TrafficPolicy!.LoadBalancer!.LocalityLbSetting!.Distribute[0].To["us-west/zone1/*"]);
        Assert.Equal(TimeSpan.FromMinutes(1), spec.TrafficPolicy.LoadBalancer.Warmup!.Duration);
        Assert.Equal(65537, spec.Subsets[0].TrafficPolicy!.LoadBalancer!.ConsistentHash!.Maglev!.TableSize);
    }

    [Fact]
    public void Load_DuplicateSubset_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v1, labels: {version: v2}}
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.subsets[1].name: subset \"v1\" is declared twice", result.Diagnostics);
    }

    [Fact]
    public void Load_SimpleAndConsistentHashTogether_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer:
                  simple: RANDOM
                  consistentHash: {useSourceIp: true}
            """);

        DiagnosticAssert.Contains("test.yaml:9 spec.trafficPolicy.loadBalancer.consistentHash: only one of \"simple\" and \"consistentHash\" may be set", result.Diagnostics);
    }

    [Fact]
    public void Load_MutualTlsWithoutCertificates_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: external}
            spec:
              host: api.example.com
              trafficPolicy:
                tls:
                  mode: MUTUAL
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.trafficPolicy.tls.mode: MUTUAL needs clientCertificate and privateKey, or credentialName", result.Diagnostics);
    }

    [Fact]
    public void Load_SubsetNameNotADnsLabel_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets:
              - {name: V1, labels: {version: v1}}
            """);

        DiagnosticAssert.Contains("test.yaml:7 spec.subsets[0].name: must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got \"V1\"", result.Diagnostics);
    }

    [Fact]
    public void Load_InvalidExportTo_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              exportTo: [".", "Other_NS"]
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.exportTo[1]: expected \".\", \"*\", \"~\" or a namespace name, got \"Other_NS\"", result.Diagnostics);
    }
}
