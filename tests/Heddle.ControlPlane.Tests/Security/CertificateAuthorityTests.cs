using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Heddle.ControlPlane.Security;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.ControlPlane.Tests.Security;

public sealed class CertificateAuthorityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("heddle-ca-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void LoadOrCreate_EmptyDirectory_GeneratesAnEcdsaRootThatTheNextStartReads()
    {
        using var first = CertificateAuthority.LoadOrCreate(_directory, _time);
        using var second = CertificateAuthority.LoadOrCreate(_directory, _time);

        Assert.True(first.Generated);
        Assert.False(second.Generated);
        Assert.Equal(first.Roots[0].Thumbprint, second.Roots[0].Thumbprint);
        Assert.Equal("1.2.840.10045.2.1", first.Signer.PublicKey.Oid.Value);
        Assert.Contains("O=cluster.local", first.Signer.Subject, StringComparison.Ordinal);
        Assert.Empty(first.Intermediates);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, CertificateAuthority.KeyFile)));
        }
    }

    [Fact]
    public void Load_PluginCaWithIntermediate_WorkloadCertificatesChainToTheSuppliedRoot()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Corp Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var root = rootRequest.CreateSelfSigned(_time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddYears(5));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Mesh Intermediate, O=cluster.local", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var intermediate = intermediateRequest.Create(root, _time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddYears(2), [1, 2, 3]);
        File.WriteAllText(Path.Combine(_directory, CertificateAuthority.CertificateFile), intermediate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, CertificateAuthority.KeyFile), intermediateKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_directory, CertificateAuthority.RootFile), root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, CertificateAuthority.ChainFile), intermediate.ExportCertificatePem() + "\n" + root.ExportCertificatePem());

        using var authority = CertificateAuthority.LoadOrCreate(_directory, _time);
        var issuer = new WorkloadCertificateIssuer(authority, TimeSpan.FromHours(1), _time);
        var (key, request) = TestCertificates.SigningRequest();
        using var _ = key;
        using var leaf = issuer.Issue(request, new WorkloadIdentity("cluster.local", "foo", "httpbin"));

        Assert.False(authority.Generated);
        Assert.Equal([intermediate.Thumbprint], authority.Intermediates.Select(c => c.Thumbprint));
        Assert.Equal([root.Thumbprint], authority.Roots.Select(c => c.Thumbprint));
        Assert.True(TestCertificates.Chains(leaf, authority.Intermediates, authority.Roots, _time.GetUtcNow()));
    }

    [Fact]
    public void Load_CertificateThatIsNotACa_FailsNamingTheFile()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var notCa = new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256).CreateSelfSigned(_time.GetUtcNow(), _time.GetUtcNow().AddDays(1));
        File.WriteAllText(Path.Combine(_directory, CertificateAuthority.CertificateFile), notCa.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, CertificateAuthority.KeyFile), key.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<InvalidDataException>(() => CertificateAuthority.LoadOrCreate(_directory, _time));

        Assert.Contains(CertificateAuthority.CertificateFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a CA", error.Message, StringComparison.Ordinal);
    }
}
