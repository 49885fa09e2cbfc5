namespace Heddle.Config.Model;

/// <summary>Istio <c>DestinationRule</c>: policies for traffic to a host after routing, and its named subsets.</summary>
public sealed record DestinationRule() : Resource<DestinationRuleSpec>(ApiVersions.IstioNetworkingV1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "DestinationRule";

    /// <inheritdoc/>
    public override string Kind => KindName;
}
