namespace Heddle.Config.Model;

/// <summary>PROXY protocol header sent to the destination.</summary>
public sealed record ProxyProtocol
{
    /// <summary>The PROXY protocol version.</summary>
    public ProxyProtocolVersion? Version { get; init; }
}
