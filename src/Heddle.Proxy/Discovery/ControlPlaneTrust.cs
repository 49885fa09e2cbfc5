using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Heddle.Proxy.Discovery;

/// <summary>
/// Verifies the control plane on the TLS discovery port: its certificate must chain to the mesh's roots the proxy
/// was given (not the system's trust store) or to the trust bundle the control plane has since sent (so a proxy keeps
/// reconnecting across a root rotation), and name the address the proxy dialled. A proxy sends its token only after
/// this check, so a server that is not the control plane never sees it.
/// </summary>
internal sealed class ControlPlaneTrust(X509Certificate2Collection roots, Security.WorkloadCertificates? certificates)
{
    /// <summary>Reads a PEM bundle of root certificates; false with a message when the file is unreadable or has none.</summary>
    public static bool TryLoadRoots(string path, [NotNullWhen(true)] out X509Certificate2Collection? roots, [NotNullWhen(false)] out string? error)
    {
        roots = null;
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            if (collection.Count == 0)
            {
                error = $"{path}: no certificate in the file";
                return false;
            }

            roots = collection;
            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error = $"{path}: {e.Message}";
            return false;
        }
    }

    /// <summary>The TLS client options for a connection to the control plane at <paramref name="host"/>.</summary>
    public SslClientAuthenticationOptions ClientOptions(string host) => new()
    {
        TargetHost = host,
        ApplicationProtocols = [SslApplicationProtocol.Http2],
        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate as X509Certificate2, errors),
    };

    /// <summary>Accepts a certificate that names the dialled host and chains to one of the mesh's roots.</summary>
    public bool Validate(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (certificates?.Current is { } current)
        {
            chain.ChainPolicy.CustomTrustStore.AddRange(current.TrustBundle);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
