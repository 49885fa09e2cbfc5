using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Heddle.Discovery.V1;
using Heddle.Proxy.Security;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Proxy.Tests.Security;

public sealed class WorkloadCertificatesTests : IDisposable
{
    // Whole seconds: certificates carry their validity to the second.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly WorkloadCertificates _certificates;

    public WorkloadCertificatesTests()
    {
        var request = new CertificateRequest("CN=test root, O=cluster.local", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _ca = request.CreateSelfSigned(_time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddYears(1));
        _certificates = new WorkloadCertificates("cluster.local", "foo", "sleep", _time);
    }

    public void Dispose()
    {
        _certificates.Dispose();
        _ca.Dispose();
        _caKey.Dispose();
    }

    /// <summary>Signs a request as the control plane would, for <paramref name="spiffeId"/> and <paramref name="lifetime"/>.</summary>
    private Certificate Sign(CertificateSigningRequest signingRequest, string spiffeId, TimeSpan lifetime)
    {
        var request = CertificateRequest.LoadSigningRequest(signingRequest.Der.ToByteArray(), HashAlgorithmName.SHA256);
        var leaf = new CertificateRequest(new X500DistinguishedName(""), request.PublicKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(spiffeId));
        leaf.CertificateExtensions.Add(names.Build(critical: true));
        using var certificate = leaf.Create(_ca, _time.GetUtcNow().AddMinutes(-1), _time.GetUtcNow() + lifetime, [1, 2, 3, 4]);
        var answer = new Certificate { RequestId = signingRequest.RequestId };
        answer.Chain.Add(ByteString.CopyFrom(certificate.RawData));
        answer.TrustBundle.Add(ByteString.CopyFrom(_ca.RawData));
        return answer;
    }

    [Fact]
    public void Accept_AnswerToThePendingRequest_InstallsTheCertificateWithItsKeyAndRenewsAtHalfLife()
    {
        Assert.Equal(DateTimeOffset.MinValue, _certificates.RenewalDueAt);
        var request = _certificates.CreateRequest();

        Assert.True(_certificates.Accept(Sign(request, "spiffe://cluster.local/ns/foo/sa/sleep", TimeSpan.FromSeconds(20)), out var error), error);

        var current = _certificates.Current!;
        Assert.Equal("spiffe://cluster.local/ns/foo/sa/sleep", current.SpiffeId);
        Assert.True(current.Leaf.HasPrivateKey);
        Assert.Equal(_time.GetUtcNow().AddSeconds(10), _certificates.RenewalDueAt);
        Assert.Single(current.TrustBundle);
    }

    [Fact]
    public void Accept_CertificateForAnotherIdentity_IsNotInstalled()
    {
        var request = _certificates.CreateRequest();

        Assert.False(_certificates.Accept(Sign(request, "spiffe://cluster.local/ns/foo/sa/admin", TimeSpan.FromHours(1)), out var error));

        Assert.Null(_certificates.Current);
        Assert.Contains("sa/admin", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Accept_Refusal_KeepsTheCurrentCertificateAndRetriesLater()
    {
        Assert.True(_certificates.Accept(Sign(_certificates.CreateRequest(), "spiffe://cluster.local/ns/foo/sa/sleep", TimeSpan.FromSeconds(20)), out _));
        _time.Advance(TimeSpan.FromSeconds(10));
        var renewal = _certificates.CreateRequest();

        Assert.False(_certificates.Accept(new Certificate { RequestId = renewal.RequestId, Error = "the proxy's token is not known" }, out var error));

        Assert.Equal("the proxy's token is not known", error);
        Assert.Equal("the proxy's token is not known", _certificates.LastError);
        Assert.NotNull(_certificates.Current);
        Assert.Equal(_time.GetUtcNow() + WorkloadCertificates.RetryAfterRefusal, _certificates.RenewalDueAt);
    }

    [Fact]
    public void Accept_AnswerToASupersededRequest_IsIgnored()
    {
        var first = _certificates.CreateRequest();
        _certificates.CreateRequest();

        Assert.False(_certificates.Accept(Sign(first, "spiffe://cluster.local/ns/foo/sa/sleep", TimeSpan.FromHours(1)), out _));
        Assert.Null(_certificates.Current);
    }
}
