using System.Collections.Immutable;
using Heddle.Cli.LocalMesh;
using Heddle.Config.Model;

namespace Heddle.Cli.Tests.LocalMesh;

public sealed class ScrapeConfigTests
{
    [Fact]
    public void AppMetricsArgument_ScrapeAnnotations_PortAndPath()
    {
        var workload = Workload(new()
        {
            ["prometheus.io/scrape"] = "true",
            ["prometheus.io/port"] = "9100",
            ["prometheus.io/path"] = "custom",
        });

        Assert.Equal("9100:/custom", ScrapeConfig.AppMetricsArgument(workload));
    }

    [Fact]
    public void AppMetricsArgument_ScrapeWithoutPort_FirstDeclaredPortAndMetricsPath()
    {
        Assert.Equal("8080:/metrics", ScrapeConfig.AppMetricsArgument(Workload(new() { ["prometheus.io/scrape"] = "true" })));
    }

    [Fact]
    public void AppMetricsArgument_NoScrapeAnnotation_Null()
    {
        Assert.Null(ScrapeConfig.AppMetricsArgument(Workload(new() { ["prometheus.io/port"] = "9100" })));
        Assert.Null(ScrapeConfig.AppMetricsArgument(Workload(new() { ["prometheus.io/scrape"] = "false" })));
    }

    [Fact]
    public void Render_Pods_OneTargetPerSidecarAndTheControlPlane()
    {
        PodState[] pods =
        [
            Pod("web", "web-0", "127.20.1.1"),
            Pod("client", "client-0", "127.20.2.1"),
        ];

        string yaml = ScrapeConfig.Render("/config", "127.20.0.1:15014", pods, TimeSpan.FromSeconds(5));

        Assert.Contains("  scrape_interval: 5s\n", yaml);
        Assert.Contains("    metrics_path: /stats/prometheus\n", yaml);
        Assert.Contains("      - targets: ['127.20.1.1:15020']\n        labels: {namespace: 'default', pod: 'web-0', workload: 'web'}\n", yaml);
        Assert.Contains("      - targets: ['127.20.2.1:15020']\n", yaml);
        Assert.Contains("      - targets: ['127.20.0.1:15014']\n", yaml);
    }

    private static PodState Pod(string workload, string podName, string podIp) => new()
    {
        Workload = workload,
        Namespace = "default",
        PodName = podName,
        Replica = 0,
        PodIp = podIp,
        WorkingDirectory = "/",
        Env = new Dictionary<string, string>(),
    };

    private static LocalWorkload Workload(Dictionary<string, string> annotations) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = "app",
            Namespace = "default",
            Annotations = annotations.ToImmutableSortedDictionary(StringComparer.Ordinal),
        },
        Spec = new LocalWorkloadSpec { Command = ["true"], Ports = [new WorkloadPort { Name = "http", ContainerPort = 8080 }] },
    };
}
