using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Heddle.Proxy.Security;

/// <summary>Reads the URI and DNS names of a certificate's subject alternative name extension (RFC 5280 4.2.1.6).</summary>
internal static class SubjectAltNames
{
    private const string ExtensionOid = "2.5.29.17";
    private static readonly Asn1Tag DnsName = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UniformResourceIdentifier = new(TagClass.ContextSpecific, 6);

    /// <summary>The first <c>spiffe://</c> URI of the certificate, or null.</summary>
    public static string? SpiffeId(X509Certificate certificate)
    {
        foreach (var (isUri, name) in Read(certificate))
        {
            if (isUri && name.StartsWith("spiffe://", StringComparison.Ordinal))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Every URI and DNS name, in order; a malformed extension yields none.</summary>
    public static List<(bool IsUri, string Name)> Read(X509Certificate certificate)
    {
        var names = new List<(bool, string)>();
        var typed = certificate as X509Certificate2;
        if (typed is null)
        {
            return names;
        }

        var extension = typed.Extensions[ExtensionOid];
        if (extension is null)
        {
            return names;
        }

        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.HasSameClassAndValue(UniformResourceIdentifier))
                {
                    names.Add((true, sequence.ReadCharacterString(UniversalTagNumber.IA5String, UniformResourceIdentifier)));
                }
                else if (tag.HasSameClassAndValue(DnsName))
                {
                    names.Add((false, sequence.ReadCharacterString(UniversalTagNumber.IA5String, DnsName)));
                }
                else
                {
                    sequence.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            names.Clear();
        }

        return names;
    }
}
