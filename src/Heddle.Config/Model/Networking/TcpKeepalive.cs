namespace Heddle.Config.Model;

/// <summary>TCP keepalive settings.</summary>
public sealed record TcpKeepalive
{
    /// <summary>Unanswered probes before the connection is dropped.</summary>
    public int? Probes { get; init; }

    /// <summary>Idle time before the first probe.</summary>
    public TimeSpan? Time { get; init; }

    /// <summary>Time between probes.</summary>
    public TimeSpan? Interval { get; init; }
}
