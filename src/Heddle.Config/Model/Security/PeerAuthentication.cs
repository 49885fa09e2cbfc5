namespace Heddle.Config.Model;

/// <summary>Istio <c>PeerAuthentication</c>: whether the selected workloads accept mutual TLS, plaintext or both.</summary>
public sealed record PeerAuthentication() : Resource<PeerAuthenticationSpec>(ApiVersions.IstioSecurityV1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "PeerAuthentication";

    /// <inheritdoc/>
    public override string Kind => KindName;
}
