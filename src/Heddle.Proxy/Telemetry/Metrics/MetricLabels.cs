namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>Which sidecar reports a series: the client's (<c>source</c>) or the server's (<c>destination</c>).</summary>
internal enum Reporter : byte
{
    Source,
    Destination,
}

/// <summary>The <c>request_protocol</c> label.</summary>
internal enum RequestProtocol : byte
{
    Http,
    Grpc,
    Tcp,
}

/// <summary>The <c>connection_security_policy</c> label.</summary>
internal enum SecurityPolicy : byte
{
    /// <summary>Reported by the client side, which cannot know the server's policy (Istio's "unknown").</summary>
    Unknown,
    None,
    MutualTls,
}

internal static class MetricLabels
{
    public static string Name(Reporter reporter) => reporter == Reporter.Source ? "source" : "destination";

    public static string Name(RequestProtocol protocol) => protocol switch
    {
        RequestProtocol.Grpc => "grpc",
        RequestProtocol.Tcp => "tcp",
        _ => "http",
    };

    public static string Name(SecurityPolicy policy) => policy switch
    {
        SecurityPolicy.None => "none",
        SecurityPolicy.MutualTls => "mutual_tls",
        _ => "unknown",
    };
}
