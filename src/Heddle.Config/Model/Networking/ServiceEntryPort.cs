using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A port of a ServiceEntry (Istio's <c>ServicePort</c>).</summary>
public sealed record ServiceEntryPort
{
    /// <summary>The port number.</summary>
    [Required, PortNumber]
    public int Number { get; init; }

    /// <summary>HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP, TLS or UDP.</summary>
    public string? Protocol { get; init; }

    /// <summary>The port name.</summary>
    [Required]
    public string Name { get; init; } = "";

    /// <summary>The endpoints' port, when it differs from <see cref="Number"/>.</summary>
    [PortNumber]
    public int? TargetPort { get; init; }
}
