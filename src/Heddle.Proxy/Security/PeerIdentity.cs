namespace Heddle.Proxy.Security;

/// <summary>
/// The verified identity of the peer of an inbound mutual-TLS connection, set on the connection (and so visible on
/// every request's <c>HttpContext.Features</c>); absent on plaintext connections. Authorization policies match
/// <see cref="Principal"/> and <see cref="Namespace"/>.
/// </summary>
internal sealed class PeerIdentity
{
    private PeerIdentity(string spiffeId, string trustDomain, string @namespace, string serviceAccount)
    {
        SpiffeId = spiffeId;
        TrustDomain = trustDomain;
        Namespace = @namespace;
        ServiceAccount = serviceAccount;
        Principal = spiffeId["spiffe://".Length..];
    }

    /// <summary><c>spiffe://cluster.local/ns/default/sa/sleep</c>.</summary>
    public string SpiffeId { get; }

    /// <summary>Istio's principal: <c>cluster.local/ns/default/sa/sleep</c>.</summary>
    public string Principal { get; }

    public string TrustDomain { get; }

    public string Namespace { get; }

    public string ServiceAccount { get; }

    /// <summary>The <c>x-forwarded-client-cert</c> value the inbound sidecar gives the application
    /// (<c>By=&lt;own id&gt;;Hash=&lt;sha-256 of the peer certificate&gt;;URI=&lt;peer id&gt;</c>, as Istio's sidecars
    /// send it); computed once per connection.</summary>
    public string ForwardedClientCert { get; private set; } = "";

    /// <summary>The header that carries <see cref="ForwardedClientCert"/>.</summary>
    public const string ForwardedClientCertHeader = "x-forwarded-client-cert";

    /// <summary>The identity of a verified client certificate, as seen by the sidecar named <paramref name="ownId"/>.</summary>
    public static PeerIdentity? FromCertificate(System.Security.Cryptography.X509Certificates.X509Certificate certificate, string ownId)
    {
        var identity = Parse(SubjectAltNames.SpiffeId(certificate));
        if (identity is not null)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData()));
            identity.ForwardedClientCert = $"By={ownId};Hash={hash};Subject=\"\";URI={identity.SpiffeId}";
        }

        return identity;
    }

    /// <summary>Reads a SPIFFE id of the form <c>spiffe://&lt;trust domain&gt;/ns/&lt;namespace&gt;/sa/&lt;account&gt;</c>.</summary>
    public static PeerIdentity? Parse(string? spiffeId)
    {
        const string scheme = "spiffe://";
        if (spiffeId is null || !spiffeId.StartsWith(scheme, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = spiffeId[scheme.Length..].Split('/');
        if (parts.Length != 5 || parts[0].Length == 0 || parts[1] != "ns" || parts[2].Length == 0 || parts[3] != "sa" || parts[4].Length == 0)
        {
            return null;
        }

        return new PeerIdentity(spiffeId, parts[0], parts[2], parts[4]);
    }
}
