namespace Heddle.Config.Model;

/// <summary>The mesh-wide settings Heddle reads from Istio's mesh configuration.</summary>
public sealed record MeshConfigSpec
{
    /// <summary>What sidecars do with requests for hosts the mesh does not know.</summary>
    public OutboundTrafficPolicy? OutboundTrafficPolicy { get; init; }

    /// <summary>Istio's <c>extensionProviders</c>: the external authorizers that CUSTOM AuthorizationPolicies name.</summary>
    public ImmutableArray<MeshExtensionProvider> ExtensionProviders { get; init; } = [];

    /// <summary>Where the built-in <c>envoy</c> access log writes (e.g. <c>/dev/stdout</c> or a file path); set, it turns
    /// the access log on for every workload by default.</summary>
    public string? AccessLogFile { get; init; }

    /// <summary>TEXT (the default) or JSON.</summary>
    public MeshAccessLogEncoding? AccessLogEncoding { get; init; }

    /// <summary>Envoy's access-log format string (read, not applied: Heddle writes Envoy's default text shape).</summary>
    public string? AccessLogFormat { get; init; }

    /// <summary>The mesh-wide default of DestinationRule <c>connectionPool.http.h2UpgradePolicy</c> (Istio's default:
    /// DO_NOT_UPGRADE).</summary>
    public H2UpgradePolicy? H2UpgradePolicy { get; init; }

    /// <summary>The providers used when a Telemetry resource names none, or when none applies.</summary>
    public MeshDefaultProviders? DefaultProviders { get; init; }
}
