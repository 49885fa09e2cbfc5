using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Selects a service port by number.</summary>
public sealed record PortSelector
{
    /// <summary>The port number.</summary>
    [Required, PortNumber]
    public int Number { get; init; }
}
