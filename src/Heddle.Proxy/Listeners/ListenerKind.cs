namespace Heddle.Proxy.Listeners;

/// <summary>The proxy's listeners on the pod IP.</summary>
internal enum ListenerKind
{
    /// <summary>15000: /ready, /config_dump, /quitquitquit.</summary>
    Admin,

    /// <summary>15001: the workload's explicit HTTP proxy (absolute-form HTTP/1.1 and CONNECT tunnels).</summary>
    Outbound,

    /// <summary>15006: requests from other sidecars (h2c, or HTTP/1.1) for the local application.</summary>
    Inbound,

    /// <summary>15021: /healthz/ready.</summary>
    Readiness,

    /// <summary>15090: the proxy's own metrics, /stats/prometheus.</summary>
    Metrics,

    /// <summary>15020: the proxy's and the application's metrics merged, /stats/prometheus.</summary>
    MergedMetrics,
}
