namespace Heddle.Config.Model;

/// <summary>Connection limits and timeouts towards a destination.</summary>
public sealed record ConnectionPoolSettings
{
    /// <summary>Settings common to TCP and HTTP.</summary>
    public TcpSettings? Tcp { get; init; }

    /// <summary>HTTP settings.</summary>
    public HttpSettings? Http { get; init; }
}
