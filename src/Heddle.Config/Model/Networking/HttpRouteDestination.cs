using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A weighted destination of an HTTP route, with optional header changes.</summary>
public sealed record HttpRouteDestination
{
    /// <summary>Where requests go.</summary>
    [Required]
    public Destination Destination { get; init; } = new();

    /// <summary>Share of traffic in percent; with several destinations the weights sum to 100.</summary>
    [Between(0, 100)]
    public int? Weight { get; init; }

    /// <summary>Header changes applied when this destination is chosen.</summary>
    public Headers? Headers { get; init; }
}
