namespace Heddle.Config.Model;

/// <summary>Istio's <c>MetricsOverrides</c>.</summary>
public sealed record TelemetryMetricsOverride
{
    /// <summary>Which metrics the override applies to.</summary>
    public TelemetryMetricSelector? Match { get; init; }

    /// <summary>True stops reporting the metrics.</summary>
    public bool? Disabled { get; init; }

    /// <summary>Labels to add, change or remove.</summary>
    public ImmutableSortedDictionary<string, TelemetryTagOverride> TagOverrides { get; init; } =
        ImmutableSortedDictionary.Create<string, TelemetryTagOverride>(StringComparer.Ordinal);
}
