namespace Heddle.Config.Model;

/// <summary>Istio <c>AuthorizationPolicy</c>: who may call the selected workloads, and what they may do.</summary>
public sealed record AuthorizationPolicy() : Resource<AuthorizationPolicySpec>(ApiVersions.IstioSecurityV1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "AuthorizationPolicy";

    /// <inheritdoc/>
    public override string Kind => KindName;
}
