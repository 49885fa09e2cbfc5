using Heddle.Discovery.V1;

namespace Heddle.Proxy.Upstreams;

/// <summary>The HTTP version the proxy speaks to a next hop.</summary>
internal enum UpstreamProtocol
{
    /// <summary>HTTP/1.1 over plain TCP.</summary>
    Http1,

    /// <summary>HTTP/2 over plain TCP with prior knowledge (h2c).</summary>
    H2c,
}

internal static class UpstreamProtocols
{
    /// <summary>HTTP/2 and gRPC ports are spoken to with h2c, everything else with HTTP/1.1.</summary>
    public static UpstreamProtocol FromPortProtocol(Protocol protocol) =>
        protocol is Protocol.Http2 or Protocol.Grpc ? UpstreamProtocol.H2c : UpstreamProtocol.Http1;
}
