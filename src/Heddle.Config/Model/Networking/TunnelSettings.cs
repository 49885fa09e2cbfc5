using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Tunnels traffic to the destination through an HTTP CONNECT or POST proxy.</summary>
public sealed record TunnelSettings
{
    /// <summary>"CONNECT" (default) or "POST".</summary>
    [AllowedValues("CONNECT", "POST")]
    public string? Protocol { get; init; }

    /// <summary>Host sent in the tunnel request.</summary>
    [Required]
    public string TargetHost { get; init; } = "";

    /// <summary>Port sent in the tunnel request.</summary>
    [Required, PortNumber]
    public int TargetPort { get; init; }
}
