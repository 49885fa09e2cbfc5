using Heddle.Proxy.Security;
using Heddle.Proxy.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Listeners;

/// <summary>
/// Runs once per accepted connection, before Kestrel's HTTP handling. It marks the connection with its listener and,
/// on the outbound and inbound listeners, looks at the first bytes:
/// <list type="bullet">
/// <item><c>CONNECT host:port</c> (outbound only): consumes the request head, answers 200 and records the authority;
/// the tunnel's content is then sniffed like a new connection, so routing still happens per request inside it.</item>
/// <item>the HTTP/2 preface: the connection is served as h2c.</item>
/// <item>anything else in a tunnel: the bytes are relayed to the destination as TCP.</item>
/// <item>a TLS handshake (inbound only): mutual TLS with another sidecar; the peer's identity becomes a connection
/// feature (<see cref="PeerIdentity"/>). Whether TLS or plaintext is admitted at all is the workload's peer
/// authentication (STRICT, PERMISSIVE, DISABLE).</item>
/// <item><c>CONNECT</c> on the inbound listener, in plaintext or inside TLS: a TCP tunnel from another sidecar
/// (<see cref="InboundTcpTunnel"/>).</item>
/// </list>
/// </summary>
internal sealed class ListenerConnectionMiddleware(
    ConnectionDelegate next,
    ListenerKind listener,
    TcpTunnelRelay relay,
    TimeProvider timeProvider,
    ILogger logger,
    InboundTls? inboundTls = null,
    InboundTcpTunnel? inboundTunnel = null)
{
    /// <summary>How long a TLS handshake on the inbound listener may take.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a new connection may stay silent before it is closed (Kestrel's request-headers timeout).</summary>
    public static readonly TimeSpan FirstBytesTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a tunnel waits for the client to speak before it assumes a server-speaks-first protocol.</summary>
    public static readonly TimeSpan TunnelSniffTimeout = TimeSpan.FromSeconds(1);

    private static readonly byte[] Established = "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();
    private static readonly byte[] BadRequest = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var feature = ProxyConnectionFeature.For(listener);
        if (listener is ListenerKind.Outbound or ListenerKind.Inbound)
        {
            var input = connection.Transport.Input;
            SniffResult sniffed;
            using (var timeout = new CancellationTokenSource(FirstBytesTimeout, timeProvider))
            {
                try
                {
                    var inboundTunnels = listener == ListenerKind.Inbound && inboundTunnel is not null;
                    sniffed = await ProtocolSniffer.SniffAsync(input, listener == ListenerKind.Outbound || inboundTunnels, timeout.Token, allowTls: inboundTls is not null && listener == ListenerKind.Inbound).ConfigureAwait(false);
                    if (sniffed == SniffResult.Connect && listener == ListenerKind.Outbound)
                    {
                        var (authority, error) = await ConnectRequestReader.ReadAsync(input, timeout.Token).ConfigureAwait(false);
                        if (authority is null)
                        {
                            ProxyLog.ConnectionRejected(logger, connection.ConnectionId, error ?? "bad CONNECT request");
                            await connection.Transport.Output.WriteAsync(BadRequest).ConfigureAwait(false);
                            return;
                        }

                        await connection.Transport.Output.WriteAsync(Established).ConfigureAwait(false);
                        feature = new ProxyConnectionFeature(listener, authority);
                        sniffed = await SniffTunnelAsync(input).ConfigureAwait(false);
                        if (sniffed == SniffResult.Other)
                        {
                            ProxyLog.TcpTunnel(logger, connection.ConnectionId, authority);
                            await relay.RelayAsync(connection, authority).ConfigureAwait(false);
                            return;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (sniffed == SniffResult.Closed)
            {
                return;
            }

            if (inboundTls is not null && listener == ListenerKind.Inbound)
            {
                if (sniffed == SniffResult.Tls)
                {
                    await OnTlsConnectionAsync(connection, inboundTls, feature).ConfigureAwait(false);
                    return;
                }

                if (!inboundTls.AdmitsPlaintext())
                {
                    SecurityLog.InboundRefused(logger, connection.ConnectionId, "plaintext connection, but peer authentication is STRICT");
                    return;
                }
            }

            if (sniffed == SniffResult.Connect && inboundTunnel is not null)
            {
                await inboundTunnel.HandleAsync(connection, peer: null, serverName: null).ConfigureAwait(false);
                return;
            }

            if (sniffed == SniffResult.Http2)
            {
                connection.Features.Set<ITlsConnectionFeature>(H2cPriorKnowledgeFeature.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(H2cPriorKnowledgeFeature.Instance);
            }
        }

        connection.Features.Set(feature);
        await next(connection).ConfigureAwait(false);
    }

    /// <summary>Terminates mutual TLS, then serves the decrypted connection (HTTP/2 when ALPN chose h2).</summary>
    private async Task OnTlsConnectionAsync(ConnectionContext connection, InboundTls tls, ProxyConnectionFeature feature)
    {
        if (!tls.AdmitsTls())
        {
            SecurityLog.InboundRefused(logger, connection.ConnectionId, "TLS connection, but peer authentication is DISABLE");
            return;
        }

        InboundTlsResult result;
        using (var timeout = new CancellationTokenSource(HandshakeTimeout, timeProvider))
        {
            result = await tls.AuthenticateAsync(connection, timeout.Token).ConfigureAwait(false);
        }

        if (result.Stream is not { } stream || result.Transport is not { } transport)
        {
            SecurityLog.InboundRefused(logger, connection.ConnectionId, result.Error ?? "TLS handshake failed");
            return;
        }

        var plaintext = connection.Transport;
        try
        {
            connection.Transport = transport;
            var tlsFeature = new MutualTlsFeature(stream, result.Http2);
            connection.Features.Set<ITlsConnectionFeature>(tlsFeature);
            connection.Features.Set<ITlsApplicationProtocolFeature>(tlsFeature);

            if (result.Peer is { } peer)
            {
                connection.Features.Set(peer);
            }

            if (!result.Http2 && inboundTunnel is not null && await SniffDecryptedAsync(transport.Input).ConfigureAwait(false) is var inside && inside != SniffResult.Http1)
            {
                if (inside == SniffResult.Connect)
                {
                    await inboundTunnel.HandleAsync(connection, result.Peer, stream.TargetHostName).ConfigureAwait(false);
                }

                return;
            }

            connection.Features.Set(feature);
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            connection.Transport = plaintext;
        }
    }

    /// <summary>What an HTTP/1.1 TLS connection carries: a TCP tunnel (CONNECT), HTTP/1.1, or nothing to serve.</summary>
    private async Task<SniffResult> SniffDecryptedAsync(System.IO.Pipelines.PipeReader input)
    {
        using var timeout = new CancellationTokenSource(FirstBytesTimeout, timeProvider);
        try
        {
            var sniffed = await ProtocolSniffer.SniffAsync(input, allowConnect: true, timeout.Token).ConfigureAwait(false);
            return sniffed is SniffResult.Connect or SniffResult.Closed ? sniffed : SniffResult.Http1;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            return SniffResult.Closed;
        }
    }

    /// <summary>The tunnel's protocol; silence means the server speaks first, which only a byte relay can carry.</summary>
    private async Task<SniffResult> SniffTunnelAsync(System.IO.Pipelines.PipeReader input)
    {
        using var timeout = new CancellationTokenSource(TunnelSniffTimeout, timeProvider);
        try
        {
            return await ProtocolSniffer.SniffAsync(input, allowConnect: false, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return SniffResult.Other;
        }
    }
}
