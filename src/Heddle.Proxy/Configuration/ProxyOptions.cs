using System.Net;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Configuration;

/// <summary>Everything a proxy process needs to know at start, from its command line (or from a test).</summary>
internal sealed record ProxyOptions
{
    public required Uri DiscoveryAddress { get; init; }

    /// <summary>The roots an https:// control plane's certificate must chain to (<c>--discovery-root-cert</c>); null:
    /// the system's trust store.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? DiscoveryRootCertificates { get; init; }
    public required IPAddress PodIp { get; init; }
    public required string PodName { get; init; }
    public required string Namespace { get; init; }
    public required string Workload { get; init; }
    public string ServiceAccount { get; init; } = "default";
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public ReadinessProbeSpec? Readiness { get; init; }

    /// <summary>The proof of identity sent to the control plane (<c>--token-file</c>, or <c>$HEDDLE_PROXY_TOKEN</c>).</summary>
    public string? Token { get; init; }

    /// <summary>Whether readiness waits for the workload certificate (the executable's default; a test proxy served by
    /// a control plane that signs nothing turns it off).</summary>
    public bool RequireWorkloadCertificate { get; init; }

    /// <summary>The trust domain of the workload's SPIFFE identity.</summary>
    public string TrustDomain { get; init; } = "cluster.local";
    public int? ParentPid { get; init; }
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Whether one line per request is written to stdout.</summary>
    public bool AccessLog { get; init; } = true;

    /// <summary>Access-log lines as JSON objects instead of Envoy's default text shape.</summary>
    public bool AccessLogJson { get; init; }

    public int AdminPort { get; init; } = Heddle.Discovery.MeshPorts.Admin;
    public int OutboundPort { get; init; } = Heddle.Discovery.MeshPorts.Outbound;
    public int InboundPort { get; init; } = Heddle.Discovery.MeshPorts.Inbound;
    public int ReadinessPort { get; init; } = Heddle.Discovery.MeshPorts.Readiness;
    public int MetricsPort { get; init; } = Heddle.Discovery.MeshPorts.ProxyMetrics;
    public int MergedMetricsPort { get; init; } = Heddle.Discovery.MeshPorts.MergedMetrics;

    /// <summary>Where the application serves its own Prometheus metrics (from its prometheus.io annotations), merged on 15020.</summary>
    public AppMetricsSpec? AppMetrics { get; init; }

    /// <summary>The OTLP/gRPC collector spans are exported to (e.g. http://otel-collector:4317); null: tracing is off.</summary>
    public Uri? TracingCollector { get; init; }

    /// <summary>The percentage of new traces that are sampled (Istio's default: 1%); a caller's sampling decision is kept.</summary>
    public double TraceSamplingPercent { get; init; } = 1.0;

    /// <summary>The cluster this workload runs in, reported as source_cluster / destination_cluster.</summary>
    public string Cluster { get; init; } = "Kubernetes";

    /// <summary>First delay before reconnecting to the control plane; doubles up to <see cref="DiscoveryBackoffMax"/>.</summary>
    public TimeSpan DiscoveryBackoffInitial { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan DiscoveryBackoffMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an upstream request may move no bytes before it is abandoned with 504 UT (Envoy's stream idle timeout).</summary>
    public TimeSpan UpstreamIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long opening an upstream connection may take before the attempt fails with UF (Envoy's default connect timeout).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long in-flight requests may take to finish after a shutdown request.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Randomness for weighted picks, load balancing and backoff jitter; seeded in tests.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>"&lt;pod-name&gt;.&lt;namespace&gt;", the proxy's identity towards the control plane.</summary>
    public string NodeId => PodName + "." + Namespace;
}
