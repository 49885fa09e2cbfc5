namespace Heddle.Config.Model;

/// <summary>A PeerAuthentication's mutual TLS setting.</summary>
public sealed record PeerAuthenticationMutualTls
{
    /// <summary>The mode; absent or UNSET inherits from the parent scope.</summary>
    public PeerAuthenticationMode? Mode { get; init; }
}
