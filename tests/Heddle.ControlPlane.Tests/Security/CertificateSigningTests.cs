using Google.Protobuf;
using Heddle.ControlPlane.Security;
using Heddle.Discovery.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heddle.ControlPlane.Tests.Security;

public sealed class CertificateSigningTests : IDisposable
{
    private readonly string _tokens = Path.Combine(Directory.CreateTempSubdirectory("heddle-tokens-").FullName, "proxy-tokens");
    private readonly CertificateAuthority _authority = CertificateAuthority.LoadOrCreate(null, TimeProvider.System);
    private readonly CertificateSigning _signing;

    public CertificateSigningTests()
    {
        TokenFileAuthenticator.Write(_tokens, [("sleep-token", "foo", "sleep"), ("httpbin-token", "foo", "httpbin")]);
        _signing = new CertificateSigning(
            new WorkloadCertificateIssuer(_authority, TimeSpan.FromHours(1), TimeProvider.System),
            new TokenFileAuthenticator(_tokens),
            NullLogger<CertificateSigning>.Instance);
    }

    public void Dispose()
    {
        _authority.Dispose();
        Directory.Delete(Path.GetDirectoryName(_tokens)!, recursive: true);
    }

    private static Node Node(string serviceAccount, string token) =>
        new() { Id = "p.foo", PodName = "p", Namespace = "foo", ServiceAccount = serviceAccount, Token = token };

    private static CertificateSigningRequest Request()
    {
        var (key, der) = TestCertificates.SigningRequest();
        key.Dispose();
        return new CertificateSigningRequest { Der = ByteString.CopyFrom(der), RequestId = "7" };
    }

    [Fact]
    public void Sign_TokenOfTheClaimedIdentity_ReturnsChainAndTrustBundle()
    {
        var answer = _signing.Sign(Node("sleep", "sleep-token"), Request());

        Assert.Equal("", answer.Error);
        Assert.Equal("7", answer.RequestId);
        using var leaf = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(answer.Chain[0].Span);
        Assert.Equal(["spiffe://cluster.local/ns/foo/sa/sleep"], TestCertificates.Uris(leaf));
        Assert.Equal(_authority.Roots[0].RawData, answer.TrustBundle[0].ToByteArray());
    }

    [Fact]
    public void Sign_AnotherWorkloadsToken_GetsNoCertificate()
    {
        var answer = _signing.Sign(Node("httpbin", "sleep-token"), Request());

        Assert.Empty(answer.Chain);
        Assert.Contains("token proves namespace 'foo' service account 'sleep'", answer.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("guessed")]
    public void Sign_MissingOrUnknownToken_GetsNoCertificate(string token)
    {
        var answer = _signing.Sign(Node("sleep", token), Request());

        Assert.Empty(answer.Chain);
        Assert.NotEqual("", answer.Error);
    }

    [Fact]
    public void Sign_TokensFileRewritten_NewTokensAreKnown()
    {
        TokenFileAuthenticator.Write(_tokens, [("rotated-token-with-another-length", "foo", "sleep")]);
        File.SetLastWriteTimeUtc(_tokens, DateTime.UtcNow.AddSeconds(5));

        Assert.Empty(_signing.Sign(Node("sleep", "sleep-token"), Request()).Chain);
        Assert.NotEmpty(_signing.Sign(Node("sleep", "rotated-token-with-another-length"), Request()).Chain);
    }
}
