using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A readiness probe: an HTTP GET or a TCP connect, repeated on a period.</summary>
public sealed record Probe
{
    /// <summary>Ready when GET returns 200..399.</summary>
    [OneOf("handler")]
    public HttpGetAction? HttpGet { get; init; }

    /// <summary>Ready when a TCP connection succeeds.</summary>
    [OneOf("handler")]
    public TcpSocketAction? TcpSocket { get; init; }

    /// <summary>Seconds to wait after start before probing.</summary>
    [Between(0, int.MaxValue)]
    public int? InitialDelaySeconds { get; init; }

    /// <summary>Seconds between probes (default 10).</summary>
    [Between(1, int.MaxValue)]
    public int? PeriodSeconds { get; init; }

    /// <summary>Seconds before a probe times out (default 1).</summary>
    [Between(1, int.MaxValue)]
    public int? TimeoutSeconds { get; init; }

    /// <summary>Consecutive failures before the workload is not ready (default 3).</summary>
    [Between(1, int.MaxValue)]
    public int? FailureThreshold { get; init; }
}
