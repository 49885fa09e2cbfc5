using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Heddle.Proxy.Listeners;

/// <summary>
/// Makes Kestrel serve HTTP/2 on a cleartext connection that also accepts HTTP/1.1. Kestrel picks HTTP/1.1 for such
/// an endpoint because without TLS it cannot negotiate with ALPN; after the connection middleware has seen the HTTP/2
/// client preface, these features report "h2" as if ALPN had chosen it. No certificate is involved, and the server
/// accepts the request's "http" scheme (<c>AllowAlternateSchemes</c>).
/// </summary>
internal sealed class H2cPriorKnowledgeFeature : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    private static readonly ReadOnlyMemory<byte> H2 = "h2"u8.ToArray();

    public static H2cPriorKnowledgeFeature Instance { get; } = new();

    public ReadOnlyMemory<byte> ApplicationProtocol => H2;

    public X509Certificate2? ClientCertificate
    {
        get => null;
        set { }
    }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
}
