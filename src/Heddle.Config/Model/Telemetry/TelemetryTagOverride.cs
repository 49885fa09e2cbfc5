namespace Heddle.Config.Model;

/// <summary>Istio's <c>TagOverride</c>.</summary>
public sealed record TelemetryTagOverride
{
    /// <summary>UPSERT or REMOVE.</summary>
    public string? Operation { get; init; }

    /// <summary>A CEL expression for the label's value.</summary>
    public string? Value { get; init; }
}
