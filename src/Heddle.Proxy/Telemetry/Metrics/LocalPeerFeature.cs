namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>
/// Set on every connection of the outbound and inbound listeners: this proxy's peer-metadata header value, which the
/// forwarding transformer sends to peer sidecars on requests (outbound) and returns on responses (inbound).
/// </summary>
internal sealed class LocalPeerFeature(string metadata, bool inbound)
{
    public string Metadata { get; } = metadata;

    /// <summary>True on the inbound listener: responses to peer sidecars carry this proxy's metadata.</summary>
    public bool Inbound { get; } = inbound;
}
