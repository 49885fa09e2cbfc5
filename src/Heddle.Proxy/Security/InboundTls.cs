using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Heddle.Proxy.Security;

/// <summary>
/// The server side of mutual TLS on the inbound listener: which kinds of connection the workload's peer
/// authentication admits, and the handshake that requires a client certificate chaining to the mesh's trust bundle
/// and naming a SPIFFE identity.
/// </summary>
internal sealed class InboundTls(SnapshotStore store, WorkloadCertificates certificates)
{
    private static readonly List<SslApplicationProtocol> Protocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    /// <summary>The most application data one TLS record carries.</summary>
    private const int TlsRecord = 16 * 1024;

    /// <summary>Whether a plaintext connection may proceed: some port of the workload is not STRICT.</summary>
    public bool AdmitsPlaintext() => Admits(PeerAuthenticationMode.PeerAuthenticationStrict);

    /// <summary>Whether a TLS connection may proceed: some port of the workload is not DISABLE.</summary>
    public bool AdmitsTls() => Admits(PeerAuthenticationMode.PeerAuthenticationDisable);

    /// <summary>True unless every mode in force is <paramref name="refusing"/>.</summary>
    private bool Admits(PeerAuthenticationMode refusing)
    {
        if (!store.Current.Resources.TryGetValue("inbound", out var resource) || resource.Inbound is not { } inbound)
        {
            // Before the first configuration: Istio's default, PERMISSIVE.
            return true;
        }

        if (inbound.MtlsMode != refusing)
        {
            return true;
        }

        foreach (var port in inbound.Ports)
        {
            if (port.MtlsMode != refusing)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs the handshake on the connection's transport; the result's stream carries the application data.</summary>
    public async Task<InboundTlsResult> AuthenticateAsync(ConnectionContext connection, CancellationToken cancellationToken)
    {
        var certificate = certificates.Current;
        if (certificate is null)
        {
            return InboundTlsResult.Failed("the proxy has no workload certificate yet");
        }

        var stream = new SslStream(new DuplexPipeStream(connection.Transport), leaveInnerStreamOpen: false);
        var validation = new ClientValidation(certificate.SpiffeId);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate.Context,
            ClientCertificateRequired = true,
            CertificateChainPolicy = certificate.CreateChainPolicy(),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = validation.Validate,
            ApplicationProtocols = Protocols,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        try
        {
            await stream.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            return InboundTlsResult.Failed(validation.Error ?? e.Message);
        }

        // Buffers of a TLS record's full size: what the proxy writes at once (a sidecar link's frames for a whole pass
        // of the event loop) leaves in as few records as TLS allows, not in one record and one send per 4 KB.
        var pipe = new DuplexPipe(
            PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: TlsRecord, minimumReadSize: 4 * 1024, leaveOpen: true)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: TlsRecord, leaveOpen: true)));
        return new InboundTlsResult(stream, pipe, validation.Peer, stream.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2, null);
    }

    /// <summary>Per handshake: accepts a client certificate that chains to the trust bundle and names a SPIFFE identity.</summary>
    private sealed class ClientValidation(string ownId)
    {
        public PeerIdentity? Peer { get; private set; }

        public string? Error { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate is null)
            {
                Error = "the client sent no certificate (mutual TLS required)";
                return false;
            }

            // A client certificate is not checked against a host name.
            if ((errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) != SslPolicyErrors.None)
            {
                Error = "the client certificate does not chain to the mesh's trust bundle (" + errors + ")";
                return false;
            }

            Peer = PeerIdentity.FromCertificate(certificate, ownId);
            if (Peer is null)
            {
                Error = "the client certificate names no SPIFFE identity";
                return false;
            }

            return true;
        }
    }
}

/// <summary>The outcome of an inbound handshake: the decrypted transport and the peer, or why it failed.</summary>
internal sealed record InboundTlsResult(SslStream? Stream, IDuplexPipe? Transport, PeerIdentity? Peer, bool Http2, string? Error)
{
    public static InboundTlsResult Failed(string error) => new(null, null, null, false, error);
}
