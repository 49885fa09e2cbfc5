using Heddle.ControlPlane.Tests.TestSupport;

namespace Heddle.ControlPlane.Tests.Monitoring;

/// <summary>The control plane's metrics are the process's (one control plane per process), so this runs alone:
/// no other test's proxy is connected meanwhile.</summary>
[CollectionDefinition(nameof(MetricsEndpointTests), DisableParallelization = true)]
public sealed class MetricsEndpointCollection;

[Collection(nameof(MetricsEndpointTests))]
public sealed class MetricsEndpointTests
{
    private static async Task<PrometheusText> ScrapeAsync(HttpClient monitoring)
    {
        using var response = await monitoring.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_ProxyConnectedAndAcked_GaugeIsOneAndTheAckIsCounted()
    {
        await using var controlPlane = await TestControlPlane.StartAsync(("web.yaml", MeshConfig.Web));
        using var monitoring = controlPlane.Monitoring();
        var before = await ScrapeAsync(monitoring);
        using var proxy = controlPlane.Connect("client-0", "default", "client", "127.0.3.1");

        await proxy.HelloAndAckAsync();

        PrometheusText? after = null;
        Assert.True(
            await Eventually.HoldsAsync(async () =>
            {
                after = await ScrapeAsync(monitoring);
                return after["pilot_xds"] == 1 && after["pilot_xds_pushes{result=\"acked\"}"] == before["pilot_xds_pushes{result=\"acked\"}"] + 1;
            }),
            $"pilot_xds {after?["pilot_xds"]}, acked {after?["pilot_xds_pushes{result=\"acked\"}"]} (before: {before["pilot_xds_pushes{result=\"acked\"}"]})");
        Assert.Equal(before["pilot_xds_pushes{result=\"sent\"}"] + 1, after!["pilot_xds_pushes{result=\"sent\"}"]);
        Assert.Equal(before["pilot_proxy_convergence_time_count"] + 1, after["pilot_proxy_convergence_time_count"]);
        Assert.Equal(before["pilot_total_xds_rejects"], after["pilot_total_xds_rejects"]);

        await proxy.CloseAsync();
        Assert.True(await Eventually.HoldsAsync(async () => (await ScrapeAsync(monitoring))["pilot_xds"] == 0), "the gauge did not drop when the proxy left");
    }

    [Fact]
    public async Task Metrics_SavedFileWithErrors_CountsAReloadErrorAndShowsTheProblems()
    {
        await using var controlPlane = await TestControlPlane.StartAsync(("web.yaml", MeshConfig.Web));
        using var monitoring = controlPlane.Monitoring();
        var before = await ScrapeAsync(monitoring);

        controlPlane.Directory.Write("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports:\n  - port: not-a-number\n");

        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var after = await ScrapeAsync(monitoring);
            return after["heddle_config_reload_errors{reason=\"invalid\"}"] > before["heddle_config_reload_errors{reason=\"invalid\"}"]
                && after["heddle_config_problems{severity=\"error\"}"] >= 1;
        }));
    }
}
