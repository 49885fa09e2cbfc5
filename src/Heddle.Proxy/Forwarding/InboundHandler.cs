using System.Globalization;
using Heddle.Discovery;
using Heddle.Proxy.Authentication;
using Heddle.Proxy.Authorization;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Security;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Upstreams;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// Requests from other sidecars (15006): the inbound-port header names the application port; the port must be one
/// the inbound listener declares. The header is removed and the request goes to the application over HTTP/1.1, or
/// h2c for HTTP/2 and gRPC ports.
/// </summary>
internal sealed class InboundHandler(
    SnapshotStore store,
    IHttpForwarder forwarder,
    UpstreamClients clients,
    RequestCompletion completion,
    ExternalAuthorizer externalAuthorizer,
    TimeProvider timeProvider)
{
    public async Task HandleAsync(HttpContext context)
    {
        var started = timeProvider.GetTimestamp();
        var snapshot = store.Current;
        var target = TryGetPort(context.Request, out var port) ? snapshot.Inbound.Find(port) : null;
        ResponseFlags flags;
        if (target is not null && !PeerAuthentication.Admits(target.MtlsMode, context))
        {
            // The connection was admitted for another port; Istio resets a connection its peer authentication refuses.
            context.Abort();
            return;
        }

        SetForwardedClientCert(context);
        if (target is null)
        {
            flags = ResponseFlags.NoRoute;
            await LocalReply.WriteAsync(context, StatusCodes.Status404NotFound, flags).ConfigureAwait(false);
        }
        else
        {
            flags = ResponseFlags.None;
            var jwt = snapshot.Jwt.IsEmpty ? JwtResult.NoToken : await snapshot.Jwt.AuthenticateAsync(context.Request, timeProvider).ConfigureAwait(false);
            if (jwt.Failure is { } failure)
            {
                await AccessDenied.WriteUnauthenticatedAsync(context, failure).ConfigureAwait(false);
            }
            else if (snapshot.Authorization.HasCustom
                && snapshot.Authorization.MatchCustom(Input(context, port, jwt.Identity)) is { } authorizer
                && !await externalAuthorizer.CheckAsync(context, authorizer).ConfigureAwait(false))
            {
                // The external authorizer's denial has been written.
            }
            else if (!Authorize(context, snapshot, port, jwt.Identity))
            {
                await AccessDenied.WriteAsync(context).ConfigureAwait(false);
            }
            else
            {
                flags = await ForwardAsync(context, target).ConfigureAwait(false);
            }
        }

        completion.Inbound(context, started, flags, target);
    }

    /// <summary>The workload's AuthorizationPolicies: whether the request may reach the application.</summary>
    private static bool Authorize(HttpContext context, ProxySnapshot snapshot, int port, RequestIdentity? jwt)
    {
        var policies = snapshot.Authorization;
        if (policies.IsEmpty)
        {
            return true;
        }

        var decision = policies.Evaluate(Input(context, port, jwt));
        return decision.Allowed;
    }

    private static AuthorizationInput Input(HttpContext context, int port, RequestIdentity? jwt)
    {
        var peer = context.Features.Get<PeerIdentity>();
        return new AuthorizationInput(context.Request, port, peer?.Principal, peer?.Namespace, ServerName: null, jwt);
    }

    private async Task<ResponseFlags> ForwardAsync(HttpContext context, InboundTarget target)
    {
        var protocol = OutboundHandler.ProtocolFor(target.Protocol, context.Request);
        var error = await forwarder.SendAsync(
            context, target.DestinationPrefix, clients.For(protocol), clients.ConfigFor(protocol), MeshTransformer.Direct).ConfigureAwait(false);
        if (error == ForwarderError.None)
        {
            return ResponseFlags.None;
        }

        var (status, flags) = ForwardingOutcome.FromError(error, context.Features.Get<IForwarderErrorFeature>()?.Exception);
        await LocalReply.WriteAsync(context, status, flags).ConfigureAwait(false);
        return flags;
    }

    /// <summary>Tells the application who called over mutual TLS; a value sent by the caller itself is never passed on.</summary>
    private static void SetForwardedClientCert(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (context.Features.Get<PeerIdentity>() is { } peer)
        {
            headers[PeerIdentity.ForwardedClientCertHeader] = peer.ForwardedClientCert;
        }
        else if (headers.ContainsKey(PeerIdentity.ForwardedClientCertHeader))
        {
            headers.Remove(PeerIdentity.ForwardedClientCertHeader);
        }
    }

    private static bool TryGetPort(HttpRequest request, out int port)
    {
        var values = request.Headers[MeshHeaders.InboundPort];
        port = 0;
        return values.Count == 1
            && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535;
    }
}
