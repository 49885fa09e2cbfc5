namespace Heddle.Config.Model;

/// <summary>Istio's <c>meshConfig.outboundTrafficPolicy</c>.</summary>
public sealed record OutboundTrafficPolicy
{
    /// <summary>ALLOW_ANY (the default) or REGISTRY_ONLY.</summary>
    public OutboundTrafficPolicyMode? Mode { get; init; }
}
