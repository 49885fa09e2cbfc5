using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Listeners;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Upstreams;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// The workload's requests (15001): finds the virtual host by authority, the first matching route, a weighted cluster
/// and an endpoint, then forwards to the endpoint's sidecar (h2c) or to the endpoint itself. Bodyless requests whose
/// connection fails are tried again on another endpoint.
/// </summary>
internal sealed class OutboundHandler(
    SnapshotStore store,
    IHttpForwarder forwarder,
    UpstreamClients clients,
    AccessLog accessLog,
    Random random,
    TimeProvider timeProvider)
{
    /// <summary>Connection attempts per request when connecting fails (Istio's default: one try plus two retries).</summary>
    public const int MaxConnectAttempts = 3;

    public const string PassthroughCluster = "PassthroughCluster";

    public async Task HandleAsync(HttpContext context, ProxyConnectionFeature connection)
    {
        var started = timeProvider.GetTimestamp();
        var snapshot = store.Current;
        var request = context.Request;
        var authority = connection.TunnelAuthority ?? request.Host.Value ?? "";
        var virtualHost = snapshot.Routes.Find(authority, 80);

        if (virtualHost is null)
        {
            if (snapshot.OutboundTrafficPolicy == ProxySettings.Types.OutboundTrafficPolicy.AllowAny && authority.Length > 0)
            {
                await PassthroughAsync(context, authority, started).ConfigureAwait(false);
                return;
            }

            await RejectAsync(context, UnknownHostStatus(snapshot), ResponseFlags.NoRoute, started, null, null).ConfigureAwait(false);
            return;
        }

        var route = virtualHost.Match(request);
        if (route is null)
        {
            await RejectAsync(context, StatusCodes.Status404NotFound, ResponseFlags.NoRoute, started, null, null).ConfigureAwait(false);
            return;
        }

        var cluster = route.Clusters.Pick(random);
        if (cluster.IsPassthrough)
        {
            await PassthroughAsync(context, authority, started).ConfigureAwait(false);
            return;
        }

        var endpoint = cluster.Pick(context);
        if (endpoint is null)
        {
            await RejectAsync(context, StatusCodes.Status503ServiceUnavailable, ResponseFlags.NoHealthyUpstream, started, cluster.Name, route.Name).ConfigureAwait(false);
            return;
        }

        using var admission = await cluster.AdmitAsync(context).ConfigureAwait(false);
        if (!admission.Admitted)
        {
            await RejectAsync(context, StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamOverflow, started, cluster.Name, route.Name).ConfigureAwait(false);
            return;
        }

        var retryable = IsBodyless(context);
        var flags = ResponseFlags.None;
        for (var attempt = 1; ; attempt++)
        {
            var error = await ForwardAsync(context, cluster, endpoint).ConfigureAwait(false);
            cluster.ReportOutcome(endpoint, context, error);
            if (error == ForwarderError.None)
            {
                break;
            }

            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            (var status, flags) = ForwardingOutcome.FromError(error, exception);
            if (flags == ResponseFlags.UpstreamConnectionFailure && retryable && !context.Response.HasStarted)
            {
                if (attempt < MaxConnectAttempts)
                {
                    // The forwarder set an error status; the next attempt starts from a clean response.
                    context.Features.Set<IForwarderErrorFeature>(null);
                    context.Response.Clear();
                    endpoint = cluster.Pick(context) ?? endpoint;
                    continue;
                }

                flags |= ResponseFlags.UpstreamRetryLimitExceeded;
            }

            await LocalReply.WriteAsync(context, status, flags).ConfigureAwait(false);
            break;
        }

        if (accessLog.Enabled)
        {
            RequestLog.Write(accessLog, context, timeProvider, started, flags, endpoint.UpstreamHost, cluster.Name, route.Name);
        }
    }

    private ValueTask<ForwarderError> ForwardAsync(HttpContext context, UpstreamCluster cluster, UpstreamEndpoint endpoint)
    {
        var protocol = ProtocolFor(endpoint.Protocol, context.Request);
        if (!cluster.LoadBalancer.TracksInFlight)
        {
            return forwarder.SendAsync(context, endpoint.DestinationPrefix, cluster.ClientFor(protocol, clients), clients.ConfigFor(protocol), endpoint.Transformer);
        }

        return TrackedForwardAsync(context, cluster, endpoint, protocol);
    }

    private async ValueTask<ForwarderError> TrackedForwardAsync(HttpContext context, UpstreamCluster cluster, UpstreamEndpoint endpoint, UpstreamProtocol protocol)
    {
        endpoint.OnRequestStarted();
        try
        {
            return await forwarder.SendAsync(context, endpoint.DestinationPrefix, cluster.ClientFor(protocol, clients), clients.ConfigFor(protocol), endpoint.Transformer).ConfigureAwait(false);
        }
        finally
        {
            endpoint.OnRequestFinished();
        }
    }

    /// <summary>
    /// Sends to the authority the client named, resolved by DNS: the outbound traffic policy ALLOW_ANY for hosts the
    /// mesh does not know, and clusters with the passthrough policy.
    /// </summary>
    private async Task PassthroughAsync(HttpContext context, string authority, long started)
    {
        var target = RouteTable.HasPort(authority) ? authority : authority + ":80";
        var protocol = ProtocolFor(UpstreamProtocol.Http1, context.Request);
        var error = await forwarder.SendAsync(context, "http://" + target, clients.For(protocol), clients.ConfigFor(protocol), MeshTransformer.Direct).ConfigureAwait(false);
        var flags = ResponseFlags.None;
        if (error != ForwarderError.None)
        {
            (var status, flags) = ForwardingOutcome.FromError(error, context.Features.Get<IForwarderErrorFeature>()?.Exception);
            await LocalReply.WriteAsync(context, status, flags).ConfigureAwait(false);
        }

        if (accessLog.Enabled)
        {
            RequestLog.Write(accessLog, context, timeProvider, started, flags, target, PassthroughCluster, null);
        }
    }

    private async Task RejectAsync(HttpContext context, int status, ResponseFlags flags, long started, string? cluster, string? route)
    {
        await LocalReply.WriteAsync(context, status, flags).ConfigureAwait(false);
        if (accessLog.Enabled)
        {
            RequestLog.Write(accessLog, context, timeProvider, started, flags, null, cluster, route);
        }
    }

    /// <summary>An unknown host under REGISTRY_ONLY goes to Istio's BlackHoleCluster: 502.</summary>
    private static int UnknownHostStatus(ProxySnapshot snapshot) =>
        snapshot.OutboundTrafficPolicy == ProxySettings.Types.OutboundTrafficPolicy.RegistryOnly ? StatusCodes.Status502BadGateway : StatusCodes.Status404NotFound;

    /// <summary>gRPC needs HTTP/2 end to end, even towards a port the configuration calls plain HTTP.</summary>
    internal static UpstreamProtocol ProtocolFor(UpstreamProtocol configured, HttpRequest request) =>
        configured == UpstreamProtocol.Http1
        && request.ContentType is { } contentType
        && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
            ? UpstreamProtocol.H2c
            : configured;

    /// <summary>A request without body can be sent again when its first connection attempt fails.</summary>
    private static bool IsBodyless(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false };
}
