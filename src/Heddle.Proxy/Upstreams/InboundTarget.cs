using Heddle.Discovery.V1;

namespace Heddle.Proxy.Upstreams;

/// <summary>A port of the local application that the inbound listener forwards to.</summary>
internal sealed class InboundTarget(string appAddress, InboundPort port, string? clusterName = null)
{
    public string AppAddress { get; } = appAddress;

    public int Port { get; } = (int)port.Port;

    public string Name { get; } = port.Name;

    public Protocol PortProtocol { get; } = port.Protocol;

    public UpstreamProtocol Protocol { get; } = UpstreamProtocols.FromPortProtocol(port.Protocol);

    /// <summary>The peer authentication in force on this port (STRICT needs a mutual-TLS peer, DISABLE a plaintext one).</summary>
    public PeerAuthenticationMode MtlsMode { get; } = port.MtlsMode;

    /// <summary>"http://app:port".</summary>
    public string DestinationPrefix { get; } = "http://" + UpstreamEndpoint.FormatHostPort(appAddress, (int)port.Port);

    /// <summary>"app:port", as the access log shows it.</summary>
    public string UpstreamHost { get; } = UpstreamEndpoint.FormatHostPort(appAddress, (int)port.Port);

    /// <summary>"inbound|port|name|", the name the access log gives this destination.</summary>
    public string ClusterName { get; } = clusterName ?? "inbound|" + port.Port + "|" + port.Name + "|";
}
