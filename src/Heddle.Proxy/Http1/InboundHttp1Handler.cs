using System.Runtime.CompilerServices;
using Heddle.Proxy.Async;
using Heddle.Discovery.V1;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Http1;

/// <summary>
/// Requests from other sidecars (15006) on the lean path, as <see cref="Forwarding.InboundHandler"/> serves them: the
/// inbound-port field names a declared application port, peer authentication admits the connection, the mesh fields
/// are removed, x-forwarded-client-cert is set from the verified peer (or dropped), and the request goes to the
/// application over a pooled HTTP/1.1 connection; the response carries this proxy's peer metadata back to a peer that
/// sent its own. The workload's DENY/ALLOW authorization policies are evaluated by the same engine (403); workloads
/// with JWT rules or CUSTOM policies, HTTP/2 and gRPC ports, and unknown ports are left to the general path.
/// </summary>
internal sealed class InboundHttp1Handler(UpstreamConnectionPool pool, RequestCompletion completion, TimeProvider timeProvider, HopSettings settings) : IHttp1Handler
{
    public bool TryAccept(Http1Exchange exchange)
    {
        var head = exchange.Head;
        var snapshot = exchange.Snapshot;
        var index = head.Find(KnownHeader.InboundPort);
        if (index < 0 || head.Find(KnownHeader.InboundPort, index + 1) >= 0 || !TryParsePort(head.Value(index), out var port))
        {
            return false;
        }

        var target = snapshot.Inbound.Find(port);
        if (target is null
            || target.Protocol != UpstreamProtocol.Http1
            || !Security.PeerAuthentication.Admits(target.MtlsMode, exchange.Peer)
            || !snapshot.Jwt.IsEmpty
            || snapshot.Authorization.HasCustom)
        {
            return false;
        }

        exchange.Target = target;
        return true;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    public async ValueTask HandleAsync(Http1Exchange exchange)
    {
        var target = exchange.Target!;
        var head = exchange.Head;
        var policies = exchange.Snapshot.Authorization;
        if (!policies.IsEmpty)
        {
            // The workload's DENY and ALLOW policies, evaluated by the general path's engine on the same request.
            var peer = exchange.Peer;
            var input = new Authorization.AuthorizationInput(exchange.Adapter.Fill(head), target.Port, peer?.Principal, peer?.Namespace, ServerName: null, Jwt: null);
            if (!policies.Evaluate(input).Allowed)
            {
                await ResponseRelay.WriteAnswerAsync(exchange, StatusCodes.Status403Forbidden, Authorization.AccessDenied.Body, timeProvider).ConfigureAwait(false);
                completion.Inbound(exchange, exchange.Started, ResponseFlags.None, target);
                return;
            }
        }

        var extra = new ForwardedHeaders
        {
            ReplaceForwardedClientCert = true,
            ForwardedClientCert = exchange.Peer?.ForwardedClientCert,
            RequestId = exchange.RequestId,
        };
        exchange.WriteUpstreamRequest(extra);

        var hop = pool.For(target.UpstreamHost);
        var result = await UpstreamTry.SendAsync(hop, exchange.UpstreamRequest, exchange.UpstreamHeadLength, settings, exchange.Activity).ConfigureAwait(false);
        ResponseFlags flags;
        if (result.Outcome == TryOutcome.Response)
        {
            var peerMetadata = head.Find(KnownHeader.PeerMetadata) >= 0 ? exchange.Local?.Metadata : null;
            var relayed = await ResponseRelay.RelayAsync(exchange, hop, result.Connection!, result.Head, peerMetadata, settings).ConfigureAwait(false);
            flags = relayed switch
            {
                RelayOutcome.UpstreamFailed => ResponseFlags.UpstreamConnectionTermination,
                RelayOutcome.DownstreamFailed => ResponseFlags.DownstreamConnectionTermination,
                _ => ResponseFlags.None,
            };
        }
        else
        {
            (var status, flags) = result.Outcome switch
            {
                TryOutcome.ConnectFailure => (StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamConnectionFailure),
                TryOutcome.TimedOut => (StatusCodes.Status504GatewayTimeout, ResponseFlags.UpstreamRequestTimeout),
                _ => (StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamConnectionTermination),
            };
            await ResponseRelay.WriteLocalReplyAsync(exchange, status, flags, timeProvider).ConfigureAwait(false);
        }

        completion.Inbound(exchange, exchange.Started, flags, target);
    }

    private static bool TryParsePort(ReadOnlySpan<char> value, out int port) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
