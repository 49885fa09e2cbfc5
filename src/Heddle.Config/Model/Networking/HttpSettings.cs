namespace Heddle.Config.Model;

/// <summary>HTTP connection pool settings.</summary>
public sealed record HttpSettings
{
    /// <summary>Maximum requests queued while waiting for a connection.</summary>
    public int? Http1MaxPendingRequests { get; init; }

    /// <summary>Maximum active requests to the destination.</summary>
    public int? Http2MaxRequests { get; init; }

    /// <summary>Maximum requests per connection; 1 disables keep-alive.</summary>
    public int? MaxRequestsPerConnection { get; init; }

    /// <summary>Maximum concurrent retries to the destination.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Idle time after which a connection is closed.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Whether HTTP/1.1 connections are upgraded to HTTP/2.</summary>
    public H2UpgradePolicy? H2UpgradePolicy { get; init; }

    /// <summary>Use the client's protocol upstream.</summary>
    public bool? UseClientProtocol { get; init; }

    /// <summary>Maximum concurrent streams per HTTP/2 connection.</summary>
    public int? MaxConcurrentStreams { get; init; }

    /// <summary>HTTP/2 PING keepalive.</summary>
    public ConnectionKeepalive? Http2KeepAlive { get; init; }
}
