namespace Heddle.Config.Model;

/// <summary>Heddle's <c>MeshConfig</c> kind: mesh-wide settings, with the field names of Istio's mesh configuration (what
/// an IstioOperator's <c>meshConfig</c> block or the <c>istio</c> ConfigMap's <c>mesh</c> key holds), so that such a
/// block can be pasted as the spec. At most one per mesh.</summary>
public sealed record MeshSettings() : Resource<MeshConfigSpec>(ApiVersions.HeddleV1Alpha1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "MeshConfig";

    /// <inheritdoc/>
    public override string Kind => KindName;
}
