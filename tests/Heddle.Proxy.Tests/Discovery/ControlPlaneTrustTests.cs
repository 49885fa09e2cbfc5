using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Heddle.Proxy.Discovery;

namespace Heddle.Proxy.Tests.Discovery;

public sealed class ControlPlaneTrustTests : IDisposable
{
    private readonly X509Certificate2 _root = CreateRoot("mesh root");
    private readonly X509Certificate2 _otherRoot = CreateRoot("another root");
    private readonly string _directory = Directory.CreateTempSubdirectory("heddle-trust-").FullName;

    public void Dispose()
    {
        _root.Dispose();
        _otherRoot.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Validate_CertificateOfTheMeshRootNamingTheHost_IsAccepted()
    {
        using var serving = Issue(_root);

        Assert.True(new ControlPlaneTrust(new X509Certificate2Collection(_root), null).Validate(serving, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Validate_CertificateOfAnotherRoot_IsRefused()
    {
        using var serving = Issue(_otherRoot);

        Assert.False(new ControlPlaneTrust(new X509Certificate2Collection(_root), null).Validate(serving, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Validate_NameMismatchOrNoCertificate_IsRefusedEvenFromTheMeshRoot()
    {
        using var serving = Issue(_root);
        var trust = new ControlPlaneTrust(new X509Certificate2Collection(_root), null);

        Assert.False(trust.Validate(serving, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(trust.Validate(null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void TryLoadRoots_PemBundle_ReadsEveryRoot()
    {
        var path = Path.Combine(_directory, "root-cert.pem");
        File.WriteAllText(path, _root.ExportCertificatePem() + "\n" + _otherRoot.ExportCertificatePem() + "\n");

        Assert.True(ControlPlaneTrust.TryLoadRoots(path, out var roots, out _));
        Assert.Equal(2, roots!.Count);
    }

    [Fact]
    public void TryLoadRoots_MissingOrEmptyFile_SaysWhichFileAndWhy()
    {
        var missing = Path.Combine(_directory, "missing.pem");
        var empty = Path.Combine(_directory, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");

        Assert.False(ControlPlaneTrust.TryLoadRoots(missing, out _, out var missingError));
        Assert.False(ControlPlaneTrust.TryLoadRoots(empty, out _, out var emptyError));
        Assert.StartsWith(missing + ":", missingError);
        Assert.Equal(empty + ": no certificate in the file", emptyError);
    }

    private static X509Certificate2 CreateRoot(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, critical: true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 root)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=control plane", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var serial = new byte[] { 1, 2, 3, 4 };
        return request.Create(root, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1), serial);
    }
}
