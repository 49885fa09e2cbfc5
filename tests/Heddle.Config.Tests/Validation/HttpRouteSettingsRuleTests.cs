namespace Heddle.Config.Tests.Validation;

public class HttpRouteSettingsRuleTests
{
    [Fact]
    public void Load_UnknownRetryCondition_IsReported()
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
                retries:
                  attempts: 3
                  retryOn: 5xx,retry-always,503
            """);

        DiagnosticAssert.Contains("test.yaml:11 spec.http[0].retries.retryOn: unknown retry condition 'retry-always'; expected one of 5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, retriable-status-codes, cancelled, deadline-exceeded, internal, resource-exhausted, unavailable, reset-before-request, retriable-headers, envoy-ratelimited, http3-post-connect-failure or a status code", result.Diagnostics);
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("'503'", StringComparison.Ordinal) || d.Message.Contains("'5xx'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownGrpcStatus_IsReported()
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
                fault:
                  abort:
                    grpcStatus: NOT_A_STATUS
                    percentage: {value: 10}
            """);

        DiagnosticAssert.Contains("test.yaml:11 spec.http[0].fault.abort.grpcStatus: unknown gRPC status 'NOT_A_STATUS'; expected a name such as UNAVAILABLE", result.Diagnostics);
    }

    [Fact]
    public void Load_DirectResponseBytesNotBase64_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - directResponse:
                  status: 200
                  body:
                    bytes: "not base64!"
            """);

        DiagnosticAssert.Contains("test.yaml:10 spec.http[0].directResponse.body.bytes: must be base64", result.Diagnostics);
    }

    [Fact]
    public void Load_ValidSettings_AreAccepted()
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
                retries: {attempts: 2, retryOn: "gateway-error,connect-failure,unavailable,429"}
                fault:
                  abort: {grpcStatus: UNAVAILABLE, percentage: {value: 1}}
                rewrite:
                  uriRegexRewrite: {match: "^/a/(.*)", rewrite: "/b/\\1"}
            """);

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Load_EnvoyRetryConditions_AreAccepted_Http3OneIsWarned()
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
                retries:
                  attempts: 2
                  retryOn: reset-before-request,retriable-headers,envoy-ratelimited,http3-post-connect-failure
            """);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Warning, diagnostic.Severity);
        Assert.Equal("test.yaml:11 spec.http[0].retries.retryOn: warning: 'http3-post-connect-failure' has no effect: Heddle does not speak HTTP/3 to upstreams", diagnostic.ToString());
    }

    [Fact]
    public void Load_Http2ErrorAbortAndExponentialDelay_AreWarnedAsNotImplementedByIstio()
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
                fault:
                  delay: {exponentialDelay: 1s, percentage: {value: 10}}
                  abort: {http2Error: REFUSED_STREAM, percentage: {value: 10}}
            """);

        Assert.All(result.Diagnostics, d => Assert.Equal(Severity.Warning, d.Severity));
        Assert.Contains(result.Diagnostics, d => d.Path == "spec.http[0].fault.abort.http2Error" && d.Message.Contains("Istio does not implement it either", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Path == "spec.http[0].fault.delay.exponentialDelay" && d.Message.Contains("Istio does not implement it either", StringComparison.Ordinal));
    }
}
