using Heddle.Config.Model;

namespace Heddle.Config.Tests.Validation;

public class TelemetryRuleTests
{
    [Fact]
    public void Load_IstioAccessLoggingAndTracing_LoadsEveryField()
    {
        var result = Yaml.Load("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata:
              name: mesh-default
              namespace: istio-system
            spec:
              accessLogging:
              - providers:
                - name: envoy
                filter:
                  expression: response.code >= 400
              tracing:
              - randomSamplingPercentage: 10.5
            ---
            apiVersion: telemetry.istio.io/v1alpha1
            kind: Telemetry
            metadata:
              name: quiet
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: reviews
              accessLogging:
              - disabled: true
            ---
            apiVersion: heddle.dev/v1alpha1
            kind: MeshConfig
            metadata: {name: mesh}
            spec:
              accessLogFile: /var/log/access.log
              accessLogEncoding: JSON
              defaultProviders:
                accessLogging: [envoy]
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal(2, result.Config.Telemetries.Length);
        var mesh = result.Config.Telemetries[0].Spec;
        Assert.Equal("envoy", mesh.AccessLogging[0].Providers[0].Name);
        Assert.Equal("response.code >= 400", mesh.AccessLogging[0].Filter!.Expression);
        Assert.Equal(10.5, mesh.Tracing[0].RandomSamplingPercentage);
        Assert.True(result.Config.Telemetries[1].Spec.AccessLogging[0].Disabled);
        Assert.Equal("reviews", result.Config.Telemetries[1].Spec.Selector!.MatchLabels["app"]);
        var meshConfig = result.Config.MeshConfigs[0].Spec;
        Assert.Equal("/var/log/access.log", meshConfig.AccessLogFile);
        Assert.Equal(MeshAccessLogEncoding.Json, meshConfig.AccessLogEncoding);
        Assert.Equal("envoy", Assert.Single(meshConfig.DefaultProviders!.AccessLogging));
    }

    [Fact]
    public void Load_UnsupportedFilterExpression_WarnsWithFileLineAndField()
    {
        var result = Yaml.Load("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: t, namespace: default}
            spec:
              accessLogging:
              - filter:
                  expression: request.headers['x-debug'] == 'true'
            """);

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(7, warning.Line);
        Assert.Equal("spec.accessLogging[0].filter.expression", warning.Path);
        Assert.StartsWith("filter expression \"request.headers['x-debug'] == 'true'\" is not supported", warning.Message, StringComparison.Ordinal);
        Assert.Contains("is not supported", warning.Message, StringComparison.Ordinal);
        Assert.Single(result.Config.Telemetries);
    }

    [Fact]
    public void Load_SamplingAbove100_IsAnError()
    {
        var result = Yaml.Load("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: t, namespace: default}
            spec:
              tracing:
              - randomSamplingPercentage: 150
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("test.yaml:6 spec.tracing[0].randomSamplingPercentage: expected a percentage between 0 and 100, got 150", error.ToString());
        Assert.Empty(result.Config.Telemetries);
    }

    [Fact]
    public void Load_MetricsOverridesAndUnknownProvider_AreReportedAsNotApplied()
    {
        var result = Yaml.Load("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: t, namespace: default}
            spec:
              accessLogging:
              - providers:
                - name: otel
              metrics:
              - providers:
                - name: prometheus
                overrides:
                - match:
                    metric: REQUEST_COUNT
                  tagOverrides:
                    request_host:
                      value: request.host
            """);

        Assert.All(result.Diagnostics, d => Assert.Equal(Severity.Warning, d.Severity));
        Assert.Contains(result.Diagnostics, d => d.Path == "spec.accessLogging[0].providers[0].name" && d.Message.Contains("\"otel\" is ignored", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Path == "spec.metrics[0].overrides" && d.Message.Contains("not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownTelemetryField_IsAnError()
    {
        var result = Yaml.Load("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: t, namespace: default}
            spec:
              accessLoging: []
            """);

        Assert.Contains(result.Diagnostics, d => d.Severity == Severity.Error && d.Line == 5 && d.Message.Contains("accessLoging", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MeshConfigCustomFormatAndUnknownDefaultProvider_WarnWithFieldPaths()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: MeshConfig
            metadata: {name: mesh}
            spec:
              accessLogFile: /dev/stdout
              accessLogFormat: "[%START_TIME%] %REQ(:METHOD)%\n"
              defaultProviders:
                accessLogging: [envoy, otel]
            """);

        Assert.Equal(2, result.Diagnostics.Length);
        Assert.All(result.Diagnostics, d => Assert.Equal(Severity.Warning, d.Severity));
        Assert.Contains(result.Diagnostics, d => d.Line == 6 && d.Path == "spec.accessLogFormat");
        Assert.Contains(result.Diagnostics, d => d.Path == "spec.defaultProviders.accessLogging[1]" && d.Message.Contains("\"otel\" is ignored", StringComparison.Ordinal));
        Assert.Single(result.Config.MeshConfigs);
    }

    [Fact]
    public void Load_AccessLoggingForServerSideOnly_WarnsThatBothDirectionsAreLogged()
    {
        var result = Yaml.Load("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: t, namespace: default}
            spec:
              accessLogging:
              - match:
                  mode: SERVER
            """);

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.accessLogging[0].match.mode", warning.Path);
        Assert.Equal(Severity.Warning, warning.Severity);
    }
}
