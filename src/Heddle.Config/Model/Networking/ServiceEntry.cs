namespace Heddle.Config.Model;

/// <summary>Istio <c>ServiceEntry</c>: adds a service (external, or mesh-internal without Kubernetes) to the registry.</summary>
public sealed record ServiceEntry() : Resource<ServiceEntrySpec>(ApiVersions.IstioNetworkingV1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "ServiceEntry";

    /// <inheritdoc/>
    public override string Kind => KindName;
}
