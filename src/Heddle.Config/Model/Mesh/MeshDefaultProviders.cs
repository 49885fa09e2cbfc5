namespace Heddle.Config.Model;

/// <summary>Istio's <c>meshConfig.defaultProviders</c>: the telemetry providers used when no Telemetry resource names
/// any.</summary>
public sealed record MeshDefaultProviders
{
    /// <summary>Default access-log providers (<c>envoy</c> is the built-in one).</summary>
    public ImmutableArray<string> AccessLogging { get; init; } = [];

    /// <summary>Default tracing providers.</summary>
    public ImmutableArray<string> Tracing { get; init; } = [];

    /// <summary>Default metrics providers.</summary>
    public ImmutableArray<string> Metrics { get; init; } = [];
}
