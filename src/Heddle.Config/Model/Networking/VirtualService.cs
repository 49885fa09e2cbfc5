namespace Heddle.Config.Model;

/// <summary>Istio <c>VirtualService</c>: routing rules for traffic addressed to a set of hosts.</summary>
public sealed record VirtualService() : Resource<VirtualServiceSpec>(ApiVersions.IstioNetworkingV1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "VirtualService";

    /// <inheritdoc/>
    public override string Kind => KindName;
}
