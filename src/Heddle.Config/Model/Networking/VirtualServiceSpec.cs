namespace Heddle.Config.Model;

/// <summary>The spec of a VirtualService.</summary>
public sealed record VirtualServiceSpec
{
    /// <summary>Destination hosts the rules apply to (short names resolve in the resource's namespace); empty only for a delegate.</summary>
    public ImmutableArray<string> Hosts { get; init; } = [];

    /// <summary>Gateways the rules apply to; "mesh" (the default when empty) means every sidecar.</summary>
    public ImmutableArray<string> Gateways { get; init; } = [];

    /// <summary>HTTP routes, evaluated in order; the first match wins.</summary>
    public ImmutableArray<HttpRoute> Http { get; init; } = [];

    /// <summary>Routes for TLS and HTTPS traffic that is passed through, matched by SNI.</summary>
    public ImmutableArray<TlsRoute> Tls { get; init; } = [];

    /// <summary>Routes for opaque TCP traffic.</summary>
    public ImmutableArray<TcpRoute> Tcp { get; init; } = [];

    /// <summary>Namespaces the resource is visible to ("." this one, "*" all; default all).</summary>
    public ImmutableArray<string> ExportTo { get; init; } = [];
}
