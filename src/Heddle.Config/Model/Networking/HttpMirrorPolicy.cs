using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A destination that receives a copy of a share of the traffic.</summary>
public sealed record HttpMirrorPolicy
{
    /// <summary>Where copies go.</summary>
    [Required]
    public Destination Destination { get; init; } = new();

    /// <summary>Share of traffic mirrored; all when absent.</summary>
    public Percent? Percentage { get; init; }
}
