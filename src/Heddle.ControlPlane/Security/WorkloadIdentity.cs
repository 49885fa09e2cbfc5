namespace Heddle.ControlPlane.Security;

/// <summary>Who a workload is: a service account in a namespace of a trust domain; its SPIFFE id names it in certificates.</summary>
public sealed record WorkloadIdentity(string TrustDomain, string Namespace, string ServiceAccount)
{
    /// <summary>The trust domain of the local mesh and of Istio's default installation.</summary>
    public const string DefaultTrustDomain = "cluster.local";

    /// <summary><c>spiffe://&lt;trust domain&gt;/ns/&lt;namespace&gt;/sa/&lt;service account&gt;</c>.</summary>
    public string SpiffeId => $"spiffe://{TrustDomain}/ns/{Namespace}/sa/{ServiceAccount}";

    /// <summary>Istio's principal: the SPIFFE id without its scheme.</summary>
    public string Principal => $"{TrustDomain}/ns/{Namespace}/sa/{ServiceAccount}";

    public override string ToString() => SpiffeId;
}
