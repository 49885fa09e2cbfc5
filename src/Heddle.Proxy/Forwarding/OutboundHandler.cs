using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Forwarding.Faults;
using Heddle.Proxy.Forwarding.Mirroring;
using Heddle.Proxy.Listeners;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Upstreams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// The workload's requests (15001): finds the virtual host by authority and the first matching route; runs what the
/// route does before forwarding (fault, CORS, redirect, direct response); then picks a weighted cluster and an endpoint
/// and forwards to the endpoint's sidecar (h2c) or to the endpoint itself, with the route's timeout and retries.
/// </summary>
internal sealed class OutboundHandler(
    SnapshotStore store,
    IHttpForwarder forwarder,
    UpstreamClients clients,
    RequestCompletion completion,
    Random random,
    TimeProvider timeProvider,
    ILogger? logger = null) : IUpstreamSender
{
    public const string PassthroughCluster = "PassthroughCluster";

    private readonly RouteAnswers _answers = new(new FaultInjector(random, timeProvider));
    private RouteForwarder? _forwarder;

    private RouteForwarder Forwarder => _forwarder ??= new RouteForwarder(
        this, new MirrorSender(clients, random, logger ?? NullLogger.Instance), random, timeProvider);

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

        var actions = route.Actions;
        var flags = ResponseFlags.None;
        if (actions.ActsBeforeForwarding)
        {
            (var answered, flags) = await _answers.RunAsync(context, virtualHost, route, authority).ConfigureAwait(false);
            if (answered)
            {
                completion.Outbound(context, started, flags, null, null, route.Name);
                return;
            }
        }

        var clusterIndex = route.Clusters.PickIndex(random);
        var cluster = route.Clusters.Clusters[clusterIndex];
        if (cluster.IsPassthrough)
        {
            await PassthroughAsync(context, authority, started).ConfigureAwait(false);
            return;
        }

        var endpoint = cluster.Pick(context);
        if (endpoint is null)
        {
            await RejectAsync(context, StatusCodes.Status503ServiceUnavailable, flags | ResponseFlags.NoHealthyUpstream, started, cluster, route.Name).ConfigureAwait(false);
            return;
        }

        using var admission = await cluster.AdmitAsync(context).ConfigureAwait(false);
        if (!admission.Admitted)
        {
            await RejectAsync(context, StatusCodes.Status503ServiceUnavailable, flags | ResponseFlags.UpstreamOverflow, started, cluster, route.Name).ConfigureAwait(false);
            return;
        }

        var transformer = actions.NeedsRequestState ? RouteTransformer.Create(context, route, clusterIndex) : null;
        (var forwarded, endpoint) = await Forwarder.ForwardAsync(context, actions, cluster, endpoint, transformer).ConfigureAwait(false);
        completion.Outbound(context, started, flags | forwarded, cluster, endpoint, route.Name);
    }

    /// <summary>One try towards one endpoint; policies that count requests in flight see it start and finish.</summary>
    public ValueTask<ForwarderError> SendAsync(HttpContext context, UpstreamCluster cluster, UpstreamEndpoint endpoint, HttpTransformer transformer, CancellationToken cancellationToken)
    {
        var protocol = ProtocolFor(endpoint.Protocol, context.Request);
        if (cluster.Connections is { } own && own.LimitsStreams(protocol))
        {
            return StreamLimitedForwardAsync(context, cluster, endpoint, own.TakeStream(endpoint.DestinationPrefix, clients, endpoint.Plaintext), transformer, cancellationToken);
        }

        if (!cluster.LoadBalancer.TracksInFlight)
        {
            return forwarder.SendAsync(context, endpoint.DestinationPrefix, cluster.ClientFor(protocol, clients, endpoint.Plaintext), clients.ConfigFor(protocol), transformer, cancellationToken);
        }

        return TrackedForwardAsync(context, cluster, endpoint, protocol, transformer, cancellationToken);
    }

    private async ValueTask<ForwarderError> TrackedForwardAsync(HttpContext context, UpstreamCluster cluster, UpstreamEndpoint endpoint, UpstreamProtocol protocol, HttpTransformer transformer, CancellationToken cancellationToken)
    {
        endpoint.OnRequestStarted();
        try
        {
            return await forwarder.SendAsync(context, endpoint.DestinationPrefix, cluster.ClientFor(protocol, clients, endpoint.Plaintext), clients.ConfigFor(protocol), transformer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            endpoint.OnRequestFinished();
        }
    }

    /// <summary>An HTTP/2 try on a connection that counts its streams (maxRequestsPerConnection).</summary>
    private async ValueTask<ForwarderError> StreamLimitedForwardAsync(HttpContext context, UpstreamCluster cluster, UpstreamEndpoint endpoint, StreamLimitedConnection connection, HttpTransformer transformer, CancellationToken cancellationToken)
    {
        var tracks = cluster.LoadBalancer.TracksInFlight;
        if (tracks)
        {
            endpoint.OnRequestStarted();
        }

        try
        {
            return await forwarder.SendAsync(context, endpoint.DestinationPrefix, connection.Invoker, clients.ConfigFor(UpstreamProtocol.H2c), transformer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection.Release();
            if (tracks)
            {
                endpoint.OnRequestFinished();
            }
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

        completion.Passthrough(context, started, flags, target, PassthroughCluster);
    }

    private async Task RejectAsync(HttpContext context, int status, ResponseFlags flags, long started, UpstreamCluster? cluster, string? route)
    {
        await LocalReply.WriteAsync(context, status, flags).ConfigureAwait(false);
        completion.Outbound(context, started, flags, cluster, null, route);
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
}
