using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Heddle.ControlPlane.Tests.Security;

/// <summary>Signing requests as a proxy makes them, and what tests read back from certificates.</summary>
internal static class TestCertificates
{
    public static (ECDsa Key, byte[] Request) SigningRequest(string? claimedUri = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256);
        if (claimedUri is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddUri(new Uri(claimedUri));
            request.CertificateExtensions.Add(names.Build(critical: true));
        }

        return (key, request.CreateSigningRequest());
    }

    /// <summary>The URI subject alternative names of a certificate.</summary>
    public static List<string> Uris(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        var extension = certificate.Extensions["2.5.29.17"];
        if (extension is null)
        {
            return uris;
        }

        var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        while (sequence.HasData)
        {
            if (sequence.PeekTag().HasSameClassAndValue(uriTag))
            {
                uris.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
            }
            else
            {
                sequence.ReadEncodedValue();
            }
        }

        return uris;
    }

    /// <summary>Whether <paramref name="leaf"/> chains to one of <paramref name="roots"/> through <paramref name="intermediates"/>.</summary>
    public static bool Chains(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, IEnumerable<X509Certificate2> roots, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        return chain.Build(leaf);
    }
}
