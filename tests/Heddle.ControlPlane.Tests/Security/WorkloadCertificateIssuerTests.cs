using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Heddle.ControlPlane.Security;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.ControlPlane.Tests.Security;

public sealed class WorkloadCertificateIssuerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CertificateAuthority _authority;
    private readonly WorkloadCertificateIssuer _issuer;

    public WorkloadCertificateIssuerTests()
    {
        _authority = CertificateAuthority.LoadOrCreate(null, _time);
        _issuer = new WorkloadCertificateIssuer(_authority, WorkloadCertificateIssuer.DefaultLifetime, _time);
    }

    public void Dispose() => _authority.Dispose();

    [Fact]
    public void Issue_SigningRequest_CertifiesTheRequestKeyForTheProvenIdentityOnly()
    {
        var (key, request) = TestCertificates.SigningRequest(claimedUri: "spiffe://cluster.local/ns/kube-system/sa/admin");
        using var _ = key;

        using var certificate = _issuer.Issue(request, new WorkloadIdentity("cluster.local", "foo", "sleep"));

        Assert.Equal(["spiffe://cluster.local/ns/foo/sa/sleep"], TestCertificates.Uris(certificate));
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(_time.GetUtcNow().AddHours(24), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        Assert.True(certificate.NotBefore.ToUniversalTime() <= _time.GetUtcNow().UtcDateTime);
        var usages = Assert.IsType<X509EnhancedKeyUsageExtension>(certificate.Extensions["2.5.29.37"]).EnhancedKeyUsages;
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages.Cast<Oid>().Select(o => o.Value));
        Assert.False(Assert.IsType<X509BasicConstraintsExtension>(certificate.Extensions["2.5.29.19"]).CertificateAuthority);
        Assert.True(TestCertificates.Chains(certificate, [], _authority.Roots, _time.GetUtcNow()));
    }

    [Fact]
    public void Issue_ShortLifetime_ExpiresAfterIt()
    {
        var issuer = new WorkloadCertificateIssuer(_authority, TimeSpan.FromSeconds(20), _time);
        var (key, request) = TestCertificates.SigningRequest();
        using var _ = key;

        using var certificate = issuer.Issue(request, new WorkloadIdentity("cluster.local", "foo", "sleep"));

        Assert.Equal(_time.GetUtcNow().AddSeconds(20), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    [Fact]
    public void Issue_RequestWithBrokenSignature_IsRefused()
    {
        var (key, request) = TestCertificates.SigningRequest();
        using var _ = key;
        request[^5] ^= 0xFF;

        Assert.ThrowsAny<CryptographicException>(() => _issuer.Issue(request, new WorkloadIdentity("cluster.local", "foo", "sleep")));
    }
}
