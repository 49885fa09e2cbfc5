using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.Links;
using Heddle.Proxy.Listeners;
using Heddle.Proxy.Security;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Telemetry.Tracing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Http1;

/// <summary>
/// The lean HTTP/1.1 path of the outbound and inbound listeners: a connection middleware that runs after
/// <see cref="ListenerConnectionMiddleware"/> (so TLS is terminated and the connection's features are set). It reads
/// each request head from the connection's pipe and, when the listener's handler takes the request, forwards it
/// without Kestrel's HTTP layer or YARP. The first request it does not take is left unread and the rest of the
/// connection goes to Kestrel's HTTP/1.1 and the general path. HTTP/2 connections and tunnels go there at once.
/// </summary>
internal sealed class Http1ConnectionMiddleware(
    ConnectionDelegate next,
    SnapshotStore store,
    IHttp1Handler handler,
    Tracer tracer,
    TimeProvider timeProvider,
    ILogger logger)
{
    /// <summary>How long a kept-alive client connection may stay silent between requests (Kestrel's keep-alive timeout).</summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(130);

    private static readonly byte[] BadRequestBody = "bad request\n"u8.ToArray();
    private static readonly byte[] TooLargeBody = "request header fields too large\n"u8.ToArray();

    public Task OnConnectionAsync(ConnectionContext connection)
    {
        if (connection.Features.Get<ProxyConnectionFeature>() is not { TunnelAuthority: null }
            || connection.Features.Get<ITlsApplicationProtocolFeature>() is { } alpn && alpn.ApplicationProtocol.Span.SequenceEqual("h2"u8))
        {
            return next(connection);
        }

        return RunAsync(connection);
    }

    private async Task RunAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var exchange = new Http1Exchange(
            connection.Transport.Output, connection.Features.Get<PeerIdentity>(), connection.Features.Get<LocalPeerFeature>(), "HTTP/1.1", timeProvider,
            connection.RemoteEndPoint as IPEndPoint, connection.LocalEndPoint as IPEndPoint);
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        var drain = new DrainState(input);
        using var drainRequest = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .UnsafeRegister(static state => ((DrainState)state!).Request(), drain);
        var first = true;
        try
        {
            while (true)
            {
                idle.CancelAfter(KeepAliveTimeout);
                if (drain.Requested)
                {
                    return;
                }

                var result = await input.ReadAsync(idle.Token).ConfigureAwait(false);
                if (result.IsCanceled && drain.Requested && result.Buffer.IsEmpty)
                {
                    // The server drains: a kept-alive connection between requests closes.
                    return;
                }

                var buffer = result.Buffer;
                if (buffer.IsEmpty && result.IsCompleted)
                {
                    input.AdvanceTo(buffer.End);
                    return;
                }

                var status = RequestHeadParser.Parse(buffer, exchange.Head, out var headLength);
                if (status == HeadStatus.Incomplete)
                {
                    if (result.IsCompleted)
                    {
                        return;
                    }

                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                if (status != HeadStatus.Complete)
                {
                    input.AdvanceTo(buffer.End);
                    exchange.Reset(timeProvider.GetTimestamp(), store.Current);
                    exchange.CloseAfter = true;
                    var tooLarge = status == HeadStatus.TooLarge;
                    await ResponseRelay.WriteAnswerAsync(exchange, tooLarge ? 431 : 400, tooLarge ? TooLargeBody : BadRequestBody, timeProvider).ConfigureAwait(false);
                    return;
                }

                var head = exchange.Head;
                if (first && LinkUpgrade.IsRequest(head) && connection is not LinkConnection
                    && connection.Features.Get<ProxyConnectionFeature>() is { Listener: ListenerKind.Inbound })
                {
                    // Another sidecar's link: this connection now carries streams, each served as a connection here.
                    input.AdvanceTo(buffer.GetPosition(headLength));
                    idle.CancelAfter(Timeout.InfiniteTimeSpan);
                    await connection.Transport.Output.WriteAsync(LinkUpgrade.Switching).ConfigureAwait(false);
                    await LinkServer.ServeAsync(connection, OnConnectionAsync).ConfigureAwait(false);
                    return;
                }

                first = false;
                exchange.Reset(timeProvider.GetTimestamp(), store.Current);
                if (head.NeedsGeneralPath || head.Chunked || head.ContentLength > RequestBodyBuffer.Limit || tracer.Enabled || !handler.TryAccept(exchange))
                {
                    // Unread, for Kestrel's HTTP/1.1 and the general path, with everything after it on this connection.
                    input.AdvanceTo(buffer.Start);
                    idle.CancelAfter(Timeout.InfiniteTimeSpan);
                    await next(connection).ConfigureAwait(false);
                    return;
                }

                var total = headLength + Math.Max(head.ContentLength, 0);
                while (buffer.Length < total)
                {
                    if (result.IsCompleted)
                    {
                        return;
                    }

                    input.AdvanceTo(buffer.Start, buffer.End);
                    result = await input.ReadAsync(idle.Token).ConfigureAwait(false);
                    buffer = result.Buffer;
                }

                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                exchange.SetBody(buffer.Slice(headLength, total - headLength));
                input.AdvanceTo(buffer.GetPosition(total));
                if (head.Find(KnownHeader.RequestId) < 0)
                {
                    exchange.RequestId = RequestId.New();
                }

                exchange.CloseAfter = head.ConnectionClose;
                await handler.HandleAsync(exchange).ConfigureAwait(false);
                if (exchange.CloseAfter || drain.Requested)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            // Silent for longer than the keep-alive timeout.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or ConnectionResetException)
        {
            Http1Log.ConnectionFailed(logger, connection.ConnectionId, e.Message);
        }
    }

    /// <summary>A drain of the server (Kestrel's close request): a connection waiting for its next request closes at
    /// once (its read is cancelled), one in a request closes after its response (a cancelled read of the request's
    /// body is read again).</summary>
    private sealed class DrainState(PipeReader input)
    {
        private volatile bool _requested;

        public bool Requested => _requested;

        public void Request()
        {
            _requested = true;
            input.CancelPendingRead();
        }
    }
}
