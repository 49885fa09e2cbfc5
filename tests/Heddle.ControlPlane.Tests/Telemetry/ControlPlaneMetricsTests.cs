using Heddle.ControlPlane.Discovery;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Telemetry;
using Heddle.ControlPlane.Tests.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Heddle.Discovery.V1;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.ControlPlane.Tests.Telemetry;

public sealed class ControlPlaneMetricsTests
{
    private static PrometheusText Scrape(ControlPlaneMetrics metrics)
    {
        var text = new StringWriter();
        metrics.WritePrometheus(text);
        return PrometheusText.Parse(text.ToString());
    }

    private static ProxyConnection NewConnection(ControlPlaneMetrics metrics)
    {
        var node = new Node { Id = "web-0.default", PodName = "web-0", Namespace = "default", Workload = "web", PodIp = "127.0.1.1" };
        var registration = new PodRegistry().Register(ConnectedPod.FromNode(node, WorkloadHealth.Healthy));
        return new ProxyConnection(node, registration, metrics: metrics);
    }

    [Fact]
    public void WritePrometheus_Fresh_EverySeriesAtZeroWithIstiodNamesAndTypes()
    {
        using var metrics = new ControlPlaneMetrics(new FakeTimeProvider());

        var scraped = Scrape(metrics);

        Assert.Equal("gauge", scraped.Types["pilot_xds"]);
        Assert.Equal("counter", scraped.Types["pilot_xds_pushes"]);
        Assert.Equal("histogram", scraped.Types["pilot_proxy_convergence_time"]);
        Assert.Equal("counter", scraped.Types["pilot_total_xds_rejects"]);
        Assert.Equal("counter", scraped.Types["heddle_config_reload_errors"]);
        Assert.Equal("gauge", scraped.Types["heddle_config_problems"]);
        Assert.Equal(0, scraped["pilot_xds"]);
        Assert.Equal(0, scraped["pilot_xds_pushes{result=\"sent\"}"]);
        Assert.Equal(0, scraped["pilot_xds_pushes{result=\"acked\"}"]);
        Assert.Equal(0, scraped["pilot_xds_pushes{result=\"rejected\"}"]);
        Assert.Equal(0, scraped["pilot_total_xds_rejects"]);
    }

    [Fact]
    public void WritePrometheus_Recorded_CountsGaugesAndLastProblems()
    {
        using var metrics = new ControlPlaneMetrics(new FakeTimeProvider());

        metrics.ProxyConnected();
        metrics.ProxyConnected();
        metrics.ProxyDisconnected();
        metrics.PushSent();
        metrics.PushSent();
        metrics.PushRejected();
        metrics.ConfigReloadFailed(unreadable: false);
        metrics.ConfigProblems(errors: 2, warnings: 1);
        metrics.ConfigProblems(errors: 0, warnings: 3);
        var scraped = Scrape(metrics);

        Assert.Equal(1, scraped["pilot_xds"]);
        Assert.Equal(2, scraped["pilot_xds_pushes{result=\"sent\"}"]);
        Assert.Equal(1, scraped["pilot_xds_pushes{result=\"rejected\"}"]);
        Assert.Equal(1, scraped["pilot_total_xds_rejects"]);
        Assert.Equal(1, scraped["heddle_config_reload_errors{reason=\"invalid\"}"]);
        Assert.Equal(0, scraped["heddle_config_reload_errors{reason=\"read\"}"]);
        Assert.Equal(0, scraped["heddle_config_problems{severity=\"error\"}"]);
        Assert.Equal(3, scraped["heddle_config_problems{severity=\"warning\"}"]);
    }

    [Fact]
    public void OnRequest_AckOfLatest_RecordsConvergenceFromTheChange()
    {
        var time = new FakeTimeProvider();
        using var metrics = new ControlPlaneMetrics(time);
        var connection = NewConnection(metrics);
        time.Advance(TimeSpan.FromSeconds(10));
        metrics.Changed();
        time.Advance(TimeSpan.FromMilliseconds(300));
        connection.SetLatest(ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a")]));
        connection.TryTakeNextResponse(out var outgoing);
        time.Advance(TimeSpan.FromMilliseconds(400));

        connection.OnRequest(new DiscoveryRequest { AckedVersion = outgoing.Response.Version, ResponseNonce = outgoing.Response.Nonce });
        var scraped = Scrape(metrics);

        // 0.7 s after the change: in the (0.5, 1] bucket.
        Assert.Equal(1, scraped["pilot_xds_pushes{result=\"acked\"}"]);
        Assert.Equal(1, scraped["pilot_proxy_convergence_time_count"]);
        Assert.Equal(0.7, scraped["pilot_proxy_convergence_time_sum"], 6);
        Assert.Equal(0, scraped["pilot_proxy_convergence_time_bucket{le=\"0.5\"}"]);
        Assert.Equal(1, scraped["pilot_proxy_convergence_time_bucket{le=\"1\"}"]);
        Assert.Equal(1, scraped["pilot_proxy_convergence_time_bucket{le=\"+Inf\"}"]);
    }

    [Fact]
    public void OnRequest_AckOfAnOlderVersion_WaitsForTheLatestBeforeRecordingConvergence()
    {
        var time = new FakeTimeProvider();
        using var metrics = new ControlPlaneMetrics(time);
        var connection = NewConnection(metrics);
        connection.SetLatest(ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a")]));
        connection.TryTakeNextResponse(out var first);
        time.Advance(TimeSpan.FromSeconds(2));
        connection.SetLatest(ProxySnapshot.Create([SnapshotDeltaTests.Cluster("b")]));

        connection.OnRequest(new DiscoveryRequest { AckedVersion = first.Response.Version, ResponseNonce = first.Response.Nonce });
        Assert.Equal(0, Scrape(metrics)["pilot_proxy_convergence_time_count"]);
        connection.TryTakeNextResponse(out var second);
        time.Advance(TimeSpan.FromSeconds(2));
        connection.OnRequest(new DiscoveryRequest { AckedVersion = second.Response.Version, ResponseNonce = second.Response.Nonce });
        var scraped = Scrape(metrics);

        // Converged 4 s after the first change it had not caught up with.
        Assert.Equal(2, scraped["pilot_xds_pushes{result=\"acked\"}"]);
        Assert.Equal(1, scraped["pilot_proxy_convergence_time_count"]);
        Assert.Equal(4, scraped["pilot_proxy_convergence_time_sum"], 6);
    }

    [Fact]
    public void OnRequest_Nack_CountsARejectAndNoConvergence()
    {
        using var metrics = new ControlPlaneMetrics(new FakeTimeProvider());
        var connection = NewConnection(metrics);
        connection.SetLatest(ProxySnapshot.Create([SnapshotDeltaTests.Cluster("a")]));
        connection.TryTakeNextResponse(out var outgoing);

        connection.OnRequest(new DiscoveryRequest
        {
            ResponseNonce = outgoing.Response.Nonce,
            Rejection = new Rejection { Version = outgoing.Response.Version, Reason = "bad cluster" },
        });
        var scraped = Scrape(metrics);

        Assert.Equal(1, scraped["pilot_total_xds_rejects"]);
        Assert.Equal(1, scraped["pilot_xds_pushes{result=\"rejected\"}"]);
        Assert.Equal(0, scraped["pilot_xds_pushes{result=\"acked\"}"]);
        Assert.Equal(0, scraped["pilot_proxy_convergence_time_count"]);
    }
}
