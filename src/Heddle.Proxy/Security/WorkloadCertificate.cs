using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Heddle.Proxy.Security;

/// <summary>One issued workload certificate with its private key, the intermediates sent with it and the trust
/// bundle peers are verified against. Immutable; replaced as a whole on rotation.</summary>
internal sealed class WorkloadCertificate
{
    private readonly X509ChainPolicy _chainPolicy;
    private readonly Lazy<SslStreamCertificateContext> _context;

    public WorkloadCertificate(X509Certificate2 leaf, X509Certificate2Collection intermediates, X509Certificate2Collection trustBundle, DateTimeOffset receivedAt)
    {
        Leaf = leaf;
        Intermediates = intermediates;
        TrustBundle = trustBundle;
        SpiffeId = SubjectAltNames.SpiffeId(leaf) ?? "";
        NotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        NotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        // Half of the time it has left when it arrives (Istio renews at about half of the lifetime).
        RenewAt = receivedAt + ((NotAfter - receivedAt) / 2);
        // Building the context loads the platform's certificate machinery (about 150 ms the first time in a process):
        // done on first use or in the background after installation, so that it does not delay readiness.
        _context = new Lazy<SslStreamCertificateContext>(() => SslStreamCertificateContext.Create(leaf, intermediates, offline: true));
        _chainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        _chainPolicy.CustomTrustStore.AddRange(trustBundle);
    }

    public X509Certificate2 Leaf { get; }

    public X509Certificate2Collection Intermediates { get; }

    public X509Certificate2Collection TrustBundle { get; }

    /// <summary>The identity the certificate names, e.g. <c>spiffe://cluster.local/ns/default/sa/web</c>.</summary>
    public string SpiffeId { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>When a new certificate is asked for.</summary>
    public DateTimeOffset RenewAt { get; }

    /// <summary>What a TLS handshake sends: the certificate and its intermediates.</summary>
    public SslStreamCertificateContext Context => _context.Value;

    /// <summary>Builds <see cref="Context"/> on a pool thread, ahead of the first handshake.</summary>
    public void Prepare() => ThreadPool.UnsafeQueueUserWorkItem(static certificate => _ = certificate.Context, this, preferLocal: false);

    /// <summary>A chain policy that trusts exactly the trust bundle (a fresh copy: handshakes may run concurrently).</summary>
    public X509ChainPolicy CreateChainPolicy() => _chainPolicy.Clone();
}
