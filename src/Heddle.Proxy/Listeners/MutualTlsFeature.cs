using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Heddle.Proxy.Listeners;

/// <summary>What Kestrel learns about a connection whose TLS the inbound listener terminated itself: the protocol
/// ALPN chose (h2 makes the connection HTTP/2) and the client's certificate.</summary>
internal sealed class MutualTlsFeature(SslStream stream, bool http2) : ITlsConnectionFeature, ITlsApplicationProtocolFeature
{
    private static readonly ReadOnlyMemory<byte> H2 = "h2"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Http11 = "http/1.1"u8.ToArray();

    public ReadOnlyMemory<byte> ApplicationProtocol => http2 ? H2 : Http11;

    public X509Certificate2? ClientCertificate
    {
        get => stream.RemoteCertificate as X509Certificate2;
        set { }
    }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
}
