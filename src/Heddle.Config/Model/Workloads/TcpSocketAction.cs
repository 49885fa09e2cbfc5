using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A TCP connect readiness check against the workload.</summary>
public sealed record TcpSocketAction
{
    /// <summary>Port number or the name of a declared port.</summary>
    [Required, PortNumber]
    public IntOrString Port { get; init; }
}
