using System.Collections.Immutable;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Snapshots;

public sealed class TelemetrySettingsBuilderTests
{
    private static readonly ImmutableSortedDictionary<string, string> Reviews =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("app", "reviews")]);

    private static readonly ImmutableSortedDictionary<string, string> Ratings =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("app", "ratings")]);

    private static ProxySettings For(string yaml, string ns, ImmutableSortedDictionary<string, string> labels) =>
        TelemetrySettingsBuilder.Apply(new ProxySettings(), MeshConfig.Load(("telemetry.yaml", yaml)), ns, labels);

    private const string MeshJsonFile = """
        apiVersion: heddle.dev/v1alpha1
        kind: MeshConfig
        metadata: {name: mesh}
        spec:
          accessLogFile: /tmp/access.log
          accessLogEncoding: JSON
        """;

    [Fact]
    public void Apply_NothingConfigured_SendsNothingSoTheProxyFlagsApply()
    {
        var settings = For("""
            apiVersion: heddle.dev/v1alpha1
            kind: MeshConfig
            metadata: {name: mesh}
            spec:
              outboundTrafficPolicy: {mode: REGISTRY_ONLY}
            """, "default", Reviews);

        Assert.Null(settings.AccessLog);
        Assert.Null(settings.TracingSampling);
    }

    [Fact]
    public void Apply_MeshAccessLogFile_TurnsTheLogOnForEveryWorkload()
    {
        var settings = For(MeshJsonFile, "default", Reviews);

        Assert.NotNull(settings.AccessLog);
        Assert.True(settings.AccessLog.Enabled);
        Assert.Equal("/tmp/access.log", settings.AccessLog.Path);
        Assert.True(settings.AccessLog.Json);
        Assert.False(settings.AccessLog.Filtered);
    }

    [Fact]
    public void Apply_RootDisablesAndWorkloadEnables_OnlyTheSelectedWorkloadLogs()
    {
        var yaml = MeshJsonFile + """

            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              accessLogging:
              - disabled: true
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: reviews, namespace: default}
            spec:
              selector:
                matchLabels: {app: reviews}
              accessLogging:
              - providers:
                - name: envoy
                filter:
                  expression: response.code >= 400
            """;

        var reviews = For(yaml, "default", Reviews).AccessLog;
        var ratings = For(yaml, "default", Ratings).AccessLog;
        var otherNamespace = For(yaml, "other", Reviews).AccessLog;

        Assert.True(reviews!.Enabled);
        Assert.True(reviews.Filtered);
        Assert.Equal((400u, 999u), (Assert.Single(reviews.CodeRanges).Min, reviews.CodeRanges[0].Max));
        Assert.False(ratings!.Enabled);
        Assert.False(otherNamespace!.Enabled);
    }

    [Fact]
    public void Apply_NamespaceTelemetryWithoutProviders_UsesTheBuiltInProviderOnStdout()
    {
        var settings = For("""
            apiVersion: telemetry.istio.io/v1alpha1
            kind: Telemetry
            metadata: {name: ns, namespace: default}
            spec:
              accessLogging:
              - {}
            """, "default", Ratings);

        Assert.True(settings.AccessLog!.Enabled);
        Assert.Equal("", settings.AccessLog.Path);
        Assert.False(settings.AccessLog.Json);
    }

    [Fact]
    public void Apply_ProviderOtherThanEnvoy_LeavesTheLogOff()
    {
        var settings = For("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: ns, namespace: default}
            spec:
              accessLogging:
              - providers: [{name: otel}]
            """, "default", Ratings);

        Assert.False(settings.AccessLog!.Enabled);
    }

    [Fact]
    public void Apply_TracingPercentages_MostSpecificScopeWins()
    {
        var yaml = """
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              tracing:
              - randomSamplingPercentage: 5
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: reviews, namespace: default}
            spec:
              selector:
                matchLabels: {app: reviews}
              tracing:
              - randomSamplingPercentage: 100
            """;

        Assert.Equal(100, For(yaml, "default", Reviews).TracingSampling!.Percentage);
        Assert.Equal(5, For(yaml, "default", Ratings).TracingSampling!.Percentage);
        Assert.Null(For(yaml, "default", Ratings).AccessLog);
    }
}
