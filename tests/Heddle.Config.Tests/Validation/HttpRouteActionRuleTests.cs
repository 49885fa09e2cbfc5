namespace Heddle.Config.Tests.Validation;

public class HttpRouteActionRuleTests
{
    [Fact]
    public void Load_RouteWithoutAction_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
              - name: nothing
                timeout: 1s
            """);

        DiagnosticAssert.Contains("test.yaml:7 spec.http[0]: an HTTP route needs one of route, redirect, directResponse or delegate", result.Diagnostics);
    }

    [Fact]
    public void Load_RouteAndRedirect_IsReported()
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
                redirect:
                  uri: /v2
            """);

        DiagnosticAssert.Contains("test.yaml:9 spec.http[0].redirect: route and redirect cannot be used together in one HTTP route", result.Diagnostics);
    }

    [Fact]
    public void Load_RedirectAndDirectResponseShapes_AreAccepted()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [web.example.com]
              gateways: [istio-system/ingress]
              http:
              - match: [{uri: {exact: /old}}]
                redirect: {uri: /new, redirectCode: 308, derivePort: FROM_REQUEST_PORT}
              - match: [{uri: {prefix: /health}}]
                directResponse:
                  status: 200
                  body: {string: ok}
              - match: [{uri: {prefix: /api}}]
                rewrite:
                  uriRegexRewrite: {match: "^/api/(.*)", rewrite: "/\\1"}
                route:
                - destination: {host: api.default.svc.cluster.local, port: {number: 8080}}
                  headers:
                    request: {set: {x-route: api}, remove: [x-debug]}
                    response: {add: {x-served-by: heddle}}
                corsPolicy:
                  allowOrigins: [{exact: "https://example.com"}, {regex: "https://.*\\.example\\.com"}]
                  allowMethods: [GET, POST]
                  allowHeaders: [content-type]
                  exposeHeaders: [x-request-id]
                  maxAge: 24h
                  allowCredentials: true
                  unmatchedPreflights: IGNORE
                mirror: {host: api-shadow}
                mirrorPercentage: {value: 12.5}
            """);

        DiagnosticAssert.None(result.Diagnostics);
        var routes = result.Config.VirtualServices[0].Spec.Http;
        Assert.Equal(308, routes[0].Redirect!.RedirectCode);
        Assert.Equal("ok", routes[1].DirectResponse!.Body!.String);
        Assert.Equal(TimeSpan.FromHours(24), routes[2].CorsPolicy!.MaxAge);
        Assert.Equal(12.5, routes[2].MirrorPercentage!.Value);
    }

    [Fact]
    public void Load_FaultWithoutDelayOrAbort_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ratings}
            spec:
              hosts: [ratings]
              http:
              - fault: {}
                route:
                - destination: {host: ratings}
            """);

        DiagnosticAssert.Contains("test.yaml:7 spec.http[0].fault: a fault needs a delay, an abort, or both", result.Diagnostics);
    }

    [Fact]
    public void Load_AbortStatusOutOfRange_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ratings}
            spec:
              hosts: [ratings]
              http:
              - fault:
                  abort: {httpStatus: 700, percentage: {value: 10}}
                route:
                - destination: {host: ratings}
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.http[0].fault.abort.httpStatus: must be between 200 and 599, got 700", result.Diagnostics);
    }
}
