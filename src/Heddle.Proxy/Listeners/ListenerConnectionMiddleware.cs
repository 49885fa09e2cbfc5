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
/// </list>
/// </summary>
internal sealed class ListenerConnectionMiddleware(
    ConnectionDelegate next,
    ListenerKind listener,
    TcpTunnelRelay relay,
    TimeProvider timeProvider,
    ILogger logger)
{
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
                    sniffed = await ProtocolSniffer.SniffAsync(input, listener == ListenerKind.Outbound, timeout.Token).ConfigureAwait(false);
                    if (sniffed == SniffResult.Connect)
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

            if (sniffed == SniffResult.Http2)
            {
                connection.Features.Set<ITlsConnectionFeature>(H2cPriorKnowledgeFeature.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(H2cPriorKnowledgeFeature.Instance);
            }
        }

        connection.Features.Set(feature);
        await next(connection).ConfigureAwait(false);
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
