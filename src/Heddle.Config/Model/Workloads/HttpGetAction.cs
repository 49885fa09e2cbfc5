using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>An HTTP GET readiness check against the workload.</summary>
public sealed record HttpGetAction
{
    /// <summary>Request path; "/" when absent.</summary>
    public string? Path { get; init; }

    /// <summary>Port number or the name of a declared port.</summary>
    [Required, PortNumber]
    public IntOrString Port { get; init; }
}
