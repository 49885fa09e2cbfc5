using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A percentage between 0 and 100, fractions allowed.</summary>
public sealed record Percent
{
    /// <summary>The percentage.</summary>
    [Between(0, 100)]
    public double Value { get; init; }
}
