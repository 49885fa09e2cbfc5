using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Heddle.ControlPlane.Security;

/// <summary>Signs workload certificates: the public key of a verified PKCS#10 request, the identity the caller
/// proved as the only subject alternative name (a SPIFFE URI), for client and server authentication.</summary>
public sealed class WorkloadCertificateIssuer(CertificateAuthority authority, TimeSpan lifetime, TimeProvider time)
{
    /// <summary>The default lifetime of a workload certificate (Istio's: 24 hours).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    /// <summary>Tolerated clock difference between the control plane and the proxies.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public CertificateAuthority Authority { get; } = authority;

    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>Signs <paramref name="signingRequest"/> for <paramref name="identity"/>; throws
    /// <see cref="CryptographicException"/> when the request is malformed, badly signed or has an unsupported key.</summary>
    public X509Certificate2 Issue(ReadOnlySpan<byte> signingRequest, WorkloadIdentity identity)
    {
        // Verifies the request's self-signature: the caller holds the private key of the public key it sends.
        var request = CertificateRequest.LoadSigningRequest(signingRequest.ToArray(), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        if (request.PublicKey.Oid.Value != "1.2.840.10045.2.1")
        {
            throw new CryptographicException("the request's key is not an ECDSA key");
        }

        // Whatever the request asked for, the certificate carries only what the CA decides.
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(identity.SpiffeId));
        return Sign(request.PublicKey, names);
    }

    /// <summary>The control plane's own serving certificate for its TLS discovery port: <paramref name="names"/> are
    /// the host names and addresses proxies reach it by, plus the control plane's SPIFFE identity.</summary>
    public X509Certificate2 IssueServing(ECDsa key, IEnumerable<string> dnsNames, IEnumerable<System.Net.IPAddress> addresses, WorkloadIdentity identity)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in dnsNames)
        {
            names.AddDnsName(dnsName);
        }

        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        names.AddUri(new Uri(identity.SpiffeId));
        var probe = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256);
        using var certificate = Sign(probe.PublicKey, names);
        return certificate.CopyWithPrivateKey(key);
    }

    private X509Certificate2 Sign(PublicKey publicKey, SubjectAlternativeNameBuilder names)
    {
        var leaf = new CertificateRequest(new X500DistinguishedName(""), publicKey, HashAlgorithmName.SHA256);
        leaf.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        leaf.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        leaf.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication, ClientAuthentication], critical: false));
        // An empty subject makes the alternative names the certificate's only names, which RFC 5280 wants critical.
        leaf.CertificateExtensions.Add(names.Build(critical: true));
        if (Authority.Signer.Extensions["2.5.29.14"] is X509SubjectKeyIdentifierExtension signerKeyId)
        {
            leaf.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(signerKeyId));
        }

        var now = time.GetUtcNow();
        var notBefore = now - ClockSkew;
        var notAfter = now + Lifetime;
        if (notAfter > Authority.Signer.NotAfter)
        {
            notAfter = Authority.Signer.NotAfter.ToUniversalTime();
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return leaf.Create(Authority.Signer, notBefore, notAfter, serial);
    }
}
