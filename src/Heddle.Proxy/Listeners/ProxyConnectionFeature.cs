namespace Heddle.Proxy.Listeners;

/// <summary>
/// Set on every connection by the listener's connection middleware: which listener accepted it and, for a CONNECT
/// tunnel, the authority the client asked for. Shared by all requests of the connection.
/// </summary>
internal sealed class ProxyConnectionFeature
{
    private static readonly ProxyConnectionFeature[] Plain =
    [
        new(ListenerKind.Admin, null),
        new(ListenerKind.Outbound, null),
        new(ListenerKind.Inbound, null),
        new(ListenerKind.Readiness, null),
        new(ListenerKind.Metrics, null),
        new(ListenerKind.MergedMetrics, null),
    ];

    public ProxyConnectionFeature(ListenerKind listener, string? tunnelAuthority)
    {
        Listener = listener;
        TunnelAuthority = tunnelAuthority;
    }

    public ListenerKind Listener { get; }

    /// <summary>"host:port" of the CONNECT request that opened this tunnel, or null for a plain connection.</summary>
    public string? TunnelAuthority { get; }

    /// <summary>The shared instance for connections that are not tunnels.</summary>
    public static ProxyConnectionFeature For(ListenerKind listener) => Plain[(int)listener];
}
