using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A weighted destination of a TCP or TLS route.</summary>
public sealed record RouteDestination
{
    /// <summary>Where connections go.</summary>
    [Required]
    public Destination Destination { get; init; } = new();

    /// <summary>Share of traffic in percent; with several destinations the weights sum to 100.</summary>
    [Between(0, 100)]
    public int? Weight { get; init; }
}
