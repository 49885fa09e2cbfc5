namespace Heddle.Config.Model;

/// <summary>HTTP/2 PING keepalive settings.</summary>
public sealed record ConnectionKeepalive
{
    /// <summary>Time between PINGs.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Time to wait for a PING answer.</summary>
    public TimeSpan? Timeout { get; init; }
}
