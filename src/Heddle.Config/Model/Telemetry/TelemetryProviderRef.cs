namespace Heddle.Config.Model;

/// <summary>Istio's <c>ProviderRef</c>: a telemetry provider by name (<c>envoy</c> is the built-in access log).</summary>
public sealed record TelemetryProviderRef
{
    /// <summary>The provider's name.</summary>
    public string? Name { get; init; }
}
