namespace Heddle.Config.Model;

/// <summary>Istio <c>WorkloadEntry</c>: a workload outside Kubernetes (e.g. a VM) with an address and labels.</summary>
public sealed record WorkloadEntry() : Resource<WorkloadEntrySpec>(ApiVersions.IstioNetworkingV1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "WorkloadEntry";

    /// <inheritdoc/>
    public override string Kind => KindName;
}
