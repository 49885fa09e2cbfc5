namespace Heddle.Config.Model;

/// <summary>The apiVersions Heddle reads.</summary>
public static class ApiVersions
{
    /// <summary>Kubernetes core.</summary>
    public const string KubernetesCoreV1 = "v1";

    /// <summary>Istio networking, current version.</summary>
    public const string IstioNetworkingV1 = "networking.istio.io/v1";

    /// <summary>Istio networking, older version still accepted.</summary>
    public const string IstioNetworkingV1Beta1 = "networking.istio.io/v1beta1";

    /// <summary>Istio networking, oldest version still accepted.</summary>
    public const string IstioNetworkingV1Alpha3 = "networking.istio.io/v1alpha3";

    /// <summary>Istio security, current version.</summary>
    public const string IstioSecurityV1 = "security.istio.io/v1";

    /// <summary>Istio security, older version still accepted.</summary>
    public const string IstioSecurityV1Beta1 = "security.istio.io/v1beta1";

    /// <summary>Istio telemetry, current version.</summary>
    public const string IstioTelemetryV1 = "telemetry.istio.io/v1";

    /// <summary>Istio telemetry, older version still accepted.</summary>
    public const string IstioTelemetryV1Alpha1 = "telemetry.istio.io/v1alpha1";

    /// <summary>Heddle's own kinds.</summary>
    public const string HeddleV1Alpha1 = "heddle.dev/v1alpha1";

    /// <summary>The Istio networking versions accepted, newest first.</summary>
    public static ImmutableArray<string> IstioNetworking { get; } = [IstioNetworkingV1, IstioNetworkingV1Beta1, IstioNetworkingV1Alpha3];

    /// <summary>The Istio security versions accepted, newest first.</summary>
    public static ImmutableArray<string> IstioSecurity { get; } = [IstioSecurityV1, IstioSecurityV1Beta1];

    /// <summary>The Istio telemetry versions accepted, newest first.</summary>
    public static ImmutableArray<string> IstioTelemetry { get; } = [IstioTelemetryV1, IstioTelemetryV1Alpha1];
}
