using System.Net;
using System.Security.Cryptography.X509Certificates;
using Heddle.ControlPlane.Security;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.ControlPlane.Tests.Security;

public sealed class ServingCertificateTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CertificateAuthority _authority;
    private readonly WorkloadCertificateIssuer _issuer;

    public ServingCertificateTests()
    {
        _authority = CertificateAuthority.LoadOrCreate(null, _time);
        _issuer = new WorkloadCertificateIssuer(_authority, TimeSpan.FromHours(24), _time);
    }

    public void Dispose() => _authority.Dispose();

    [Fact]
    public void Current_IsSignedByTheMeshCaForTheListenAddressAndTheControlPlaneNames()
    {
        using var serving = new ServingCertificate(_issuer, [IPAddress.Parse("127.0.5.1")], _time);

        var certificate = serving.Current;

        Assert.True(certificate.HasPrivateKey);
        Assert.True(TestCertificates.Chains(certificate, [], _authority.Roots, _time.GetUtcNow()));
        Assert.True(certificate.MatchesHostname("127.0.5.1"));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
        Assert.True(certificate.MatchesHostname("heddle-control-plane"));
        Assert.True(certificate.MatchesHostname("istiod.istio-system.svc"));
        Assert.False(certificate.MatchesHostname("127.0.5.2"));
        Assert.Equal(["spiffe://cluster.local/ns/istio-system/sa/heddle-control-plane"], TestCertificates.Uris(certificate));
    }

    [Fact]
    public void Current_AnyAddress_NamesOnlyLoopbackAndTheControlPlaneNames()
    {
        using var serving = new ServingCertificate(_issuer, [IPAddress.Any], _time);

        Assert.True(serving.Current.MatchesHostname("127.0.0.1"));
        Assert.False(serving.Current.MatchesHostname("0.0.0.0"));
    }

    [Fact]
    public void Current_AfterHalfItsLifetime_IsRenewed_AndHandshakesGetTheNewOne()
    {
        using var serving = new ServingCertificate(_issuer, [IPAddress.Loopback], _time);
        var first = serving.Current;

        _time.Advance(TimeSpan.FromHours(11));
        Assert.Same(first, serving.Current);

        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var renewed = serving.Current;

        Assert.NotSame(first, renewed);
        Assert.NotEqual(first.SerialNumber, renewed.SerialNumber);
        Assert.True(renewed.NotAfter > first.NotAfter);
        Assert.Same(renewed, serving.ServerOptions().ServerCertificateContext!.TargetCertificate);
    }
}
