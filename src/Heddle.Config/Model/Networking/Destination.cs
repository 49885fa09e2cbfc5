using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A service (and optionally a subset and port) that traffic is sent to.</summary>
public sealed record Destination
{
    /// <summary>The service host; Kubernetes short names resolve in the VirtualService's namespace.</summary>
    [Required]
    public string Host { get; init; } = "";

    /// <summary>A subset declared by a DestinationRule for the host.</summary>
    [Dns1123Label]
    public string? Subset { get; init; }

    /// <summary>The service port; may be omitted when the service has a single port.</summary>
    public PortSelector? Port { get; init; }
}
