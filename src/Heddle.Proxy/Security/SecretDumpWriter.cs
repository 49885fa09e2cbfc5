using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Heddle.Proxy.Security;

/// <summary>The workload certificate as the admin <c>/config_dump</c> shows it (<c>"secrets"</c>): chain, identity,
/// serial, validity and the trust bundle's fingerprints. Never the private key.</summary>
internal static class SecretDumpWriter
{
    public static void Write(Utf8JsonWriter json, WorkloadCertificates certificates)
    {
        json.WriteStartArray("secrets");
        var current = certificates.Current;
        if (current is not null || certificates.LastError.Length > 0)
        {
            json.WriteStartObject();
            json.WriteString("name", "default");
            if (current is not null)
            {
                json.WriteString("spiffeId", current.SpiffeId);
                json.WriteString("serialNumber", current.Leaf.SerialNumber);
                json.WriteString("notBefore", current.NotBefore.ToString("o", CultureInfo.InvariantCulture));
                json.WriteString("notAfter", current.NotAfter.ToString("o", CultureInfo.InvariantCulture));
                json.WriteString("renewAt", current.RenewAt.ToString("o", CultureInfo.InvariantCulture));
                json.WriteStartArray("chain");
                WriteCertificate(json, current.Leaf);
                foreach (var intermediate in current.Intermediates)
                {
                    WriteCertificate(json, intermediate);
                }

                json.WriteEndArray();
                json.WriteStartArray("trustBundle");
                foreach (var root in current.TrustBundle)
                {
                    WriteCertificate(json, root);
                }

                json.WriteEndArray();
            }

            if (certificates.LastError.Length > 0)
            {
                json.WriteString("lastError", certificates.LastError);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteCertificate(Utf8JsonWriter json, X509Certificate2 certificate)
    {
        json.WriteStartObject();
        json.WriteString("subject", certificate.Subject);
        json.WriteString("issuer", certificate.Issuer);
        json.WriteString("serialNumber", certificate.SerialNumber);
        json.WriteString("notBefore", certificate.NotBefore.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
        json.WriteString("notAfter", certificate.NotAfter.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture));
        json.WriteString("sha256Fingerprint", certificate.GetCertHashString(HashAlgorithmName.SHA256));
        json.WriteStartArray("uris");
        foreach (var (isUri, name) in SubjectAltNames.Read(certificate))
        {
            if (isUri)
            {
                json.WriteStringValue(name);
            }
        }

        json.WriteEndArray();
        json.WriteString("pem", certificate.ExportCertificatePem());
        json.WriteEndObject();
    }
}
