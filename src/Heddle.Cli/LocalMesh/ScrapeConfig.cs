using System.Globalization;
using System.Text;
using Heddle.Config.Model;
using Heddle.Discovery;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// A Prometheus configuration for a local mesh: every sidecar's merged metrics endpoint (15020, Istio's metrics
/// merging: the proxy's <c>istio_*</c> metrics plus the application's own) and the control plane's monitoring
/// endpoint, each target labelled with its namespace, pod and workload as Kubernetes service discovery would.
/// </summary>
internal static class ScrapeConfig
{
    public const string FileName = "prometheus.yml";

    public static string Render(string configDirectory, string controlPlaneMonitoring, IEnumerable<PodState> pods, TimeSpan interval, int port = MeshPorts.MergedMetrics)
    {
        string every = ((int)Math.Max(1, interval.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
        var yaml = new StringBuilder()
            .Append("# Prometheus configuration for the Heddle local mesh of ").Append(configDirectory).Append('\n')
            .Append("# (written by `heddle up`; `heddle scrape-config` prints it again). Run: prometheus --config.file=THIS_FILE\n")
            .Append("global:\n")
            .Append("  scrape_interval: ").Append(every).Append('\n')
            .Append("  evaluation_interval: ").Append(every).Append('\n')
            .Append("scrape_configs:\n")
            .Append("  - job_name: heddle-sidecars\n")
            .Append("    metrics_path: /stats/prometheus\n")
            .Append("    static_configs:\n");
        foreach (var pod in pods)
        {
            yaml.Append("      - targets: ['").Append(pod.PodIp).Append(':').Append(port.ToString(CultureInfo.InvariantCulture)).Append("']\n")
                .Append("        labels: {namespace: ").Append(Quote(pod.Namespace))
                .Append(", pod: ").Append(Quote(pod.PodName))
                .Append(", workload: ").Append(Quote(pod.Workload)).Append("}\n");
        }

        yaml.Append("  - job_name: heddle-control-plane\n")
            .Append("    metrics_path: /metrics\n")
            .Append("    static_configs:\n")
            .Append("      - targets: ['").Append(controlPlaneMonitoring).Append("']\n");
        return yaml.ToString();
    }

    /// <summary>
    /// The proxy's <c>--app-metrics</c> value from the workload's <c>prometheus.io/scrape</c>, <c>prometheus.io/port</c>
    /// and <c>prometheus.io/path</c> annotations (the port defaults to the first declared port, the path to
    /// /metrics); null when the workload does not ask to be scraped.
    /// </summary>
    public static string? AppMetricsArgument(LocalWorkload workload)
    {
        var annotations = workload.Metadata.Annotations;
        if (!annotations.TryGetValue("prometheus.io/scrape", out string? scrape) || !string.Equals(scrape, "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        int? port = annotations.TryGetValue("prometheus.io/port", out string? portText)
            && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int annotated) && annotated is > 0 and <= 65535
                ? annotated
                : workload.Spec.Ports.Length > 0 ? workload.Spec.Ports[0].ContainerPort : null;
        if (port is null)
        {
            return null;
        }

        string path = annotations.TryGetValue("prometheus.io/path", out string? annotatedPath) && annotatedPath.Length > 0 ? annotatedPath : "/metrics";
        return $"{port.Value.ToString(CultureInfo.InvariantCulture)}:{(path.StartsWith('/') ? path : "/" + path)}";
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
