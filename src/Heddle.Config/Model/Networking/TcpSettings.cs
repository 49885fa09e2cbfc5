namespace Heddle.Config.Model;

/// <summary>TCP connection pool settings.</summary>
public sealed record TcpSettings
{
    /// <summary>Maximum connections to the destination.</summary>
    public int? MaxConnections { get; init; }

    /// <summary>TCP connect timeout.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>TCP keepalive probes.</summary>
    public TcpKeepalive? TcpKeepalive { get; init; }

    /// <summary>Maximum lifetime of a connection.</summary>
    public TimeSpan? MaxConnectionDuration { get; init; }

    /// <summary>Idle time after which a connection is closed.</summary>
    public TimeSpan? IdleTimeout { get; init; }
}
