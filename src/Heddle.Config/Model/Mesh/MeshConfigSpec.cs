namespace Heddle.Config.Model;

/// <summary>The mesh-wide settings Heddle reads from Istio's mesh configuration.</summary>
public sealed record MeshConfigSpec
{
    /// <summary>What sidecars do with requests for hosts the mesh does not know.</summary>
    public OutboundTrafficPolicy? OutboundTrafficPolicy { get; init; }

    /// <summary>Istio's <c>extensionProviders</c>: the external authorizers that CUSTOM AuthorizationPolicies name.</summary>
    public ImmutableArray<MeshExtensionProvider> ExtensionProviders { get; init; } = [];
}
