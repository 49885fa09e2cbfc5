using System.Runtime.CompilerServices;
using Heddle.Proxy.Async;
using Heddle.Proxy.Forwarding.Retries;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Http1;

/// <summary>
/// The workload's HTTP/1.1 requests (15001) on the lean path: the same virtual host, route, weighted cluster and
/// endpoint choice as <see cref="Forwarding.OutboundHandler"/>, the connection-pool admission (503 UO), Istio's
/// default retry policy with hold-back of a retriable response (URX when the last try still fails), outlier
/// reporting, and the sidecar hop over pooled HTTP/1.1 connections. Requests whose route does more than that, or whose
/// destination needs HTTP/2, are left to the general path by <see cref="TryAccept"/>.
/// </summary>
internal sealed class OutboundHttp1Handler(
    UpstreamConnectionPool pool,
    RequestCompletion completion,
    Random random,
    TimeProvider timeProvider,
    HopSettings defaults) : IHttp1Handler
{
    /// <summary>Routes the request; false leaves it (and the rest of its connection) to the general path.</summary>
    public bool TryAccept(Http1Exchange exchange)
    {
        var head = exchange.Head;
        var virtualHost = exchange.Snapshot.Routes.Find(head.Authority, 80);
        if (virtualHost is null)
        {
            return false;
        }

        var route = virtualHost.Match(new RouteRequest(head, "http"));
        if (route is null || !route.Forwards || route.Actions.ActsBeforeForwarding || (route.Actions.NeedsRequestState && !OnlyTimeout(route.Actions)))
        {
            return false;
        }

        var cluster = route.Clusters.Clusters[route.Clusters.PickIndex(random)];
        if (cluster.IsPassthrough
            || cluster.Source.ConsistentHash is not null
            || UpstreamProtocols.FromPortProtocol(cluster.Source.Protocol) != UpstreamProtocol.Http1
            || cluster.Connections is { Limits.MaxConnections: > 0 }
            || cluster.Source.H2Upgrade)
        {
            return false;
        }

        exchange.Route = route;
        exchange.Cluster = cluster;
        return true;
    }

    public ValueTask HandleAsync(Http1Exchange exchange)
    {
        var cluster = exchange.Cluster!;
        var endpoint = cluster.LoadBalancer.Pick();
        // The common case goes straight to the tries: one async method fewer per request.
        return endpoint is not null && cluster.CircuitBreaker is null
            ? TryAllAsync(exchange, exchange.Route!.Actions.Retry, cluster, endpoint)
            : HandleGuardedAsync(exchange, cluster, endpoint);
    }

    /// <summary>No healthy endpoint (503 UH), or admission under the cluster's circuit breaker (503 UO) first.</summary>
    private async ValueTask HandleGuardedAsync(Http1Exchange exchange, UpstreamCluster cluster, UpstreamEndpoint? endpoint)
    {
        if (endpoint is null)
        {
            const ResponseFlags flags = ResponseFlags.NoHealthyUpstream;
            await ResponseRelay.WriteLocalReplyAsync(exchange, StatusCodes.Status503ServiceUnavailable, flags, timeProvider).ConfigureAwait(false);
            Complete(exchange, flags, null);
            return;
        }

        using var lease = await cluster.CircuitBreaker!.LeaseAsync(CancellationToken.None).ConfigureAwait(false);
        if (!lease.Admitted)
        {
            const ResponseFlags flags = ResponseFlags.UpstreamOverflow;
            await ResponseRelay.WriteLocalReplyAsync(exchange, StatusCodes.Status503ServiceUnavailable, flags, timeProvider).ConfigureAwait(false);
            Complete(exchange, flags, endpoint);
            return;
        }

        await TryAllAsync(exchange, exchange.Route!.Actions.Retry, cluster, endpoint).ConfigureAwait(false);
    }

    /// <summary>Ends the request: its metrics and access-log line.</summary>
    private void Complete(Http1Exchange exchange, ResponseFlags flags, UpstreamEndpoint? endpoint) =>
        completion.Outbound(exchange, exchange.Started, flags, exchange.Cluster!, endpoint, exchange.Route!.Name);

    /// <summary>The tries the retry policy allows, as <see cref="Forwarding.RouteForwarder"/> makes them (the body is
    /// always buffered here, so every try can be repeated); ends the request.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private async ValueTask TryAllAsync(
        Http1Exchange exchange, RetryPolicy? policy, UpstreamCluster cluster, UpstreamEndpoint endpoint)
    {
        var maxTries = policy is null ? 1 : policy.NumRetries + 1;
        var breaker = cluster.CircuitBreaker;
        var retrySlot = false;
        var settings = SettingsFor(cluster);
        exchange.Activity.SetRouteTimeout(exchange.Route!.Actions.Timeout);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var last = attempt >= maxTries;
                var holdBack = last || (breaker is { HasRetryRoom: false } && !retrySlot) ? null : policy;
                // A sidecar is reached over a link, unless the cluster limits requests per connection (then they are real ones).
                var hop = pool.For(endpoint.UpstreamHost, endpoint.Plaintext, linked: endpoint.Sidecar is not null && settings.MaxRequestsPerConnection <= 0);
                BuildRequest(exchange, endpoint);
                var tracked = cluster.LoadBalancer.TracksInFlight;
                if (tracked)
                {
                    endpoint.OnRequestStarted();
                }

                try
                {
                    var result = await UpstreamTry.SendAsync(hop, exchange.UpstreamRequest, exchange.UpstreamHeadLength, settings, exchange.Activity).ConfigureAwait(false);
                    if (retrySlot)
                    {
                        breaker!.ExitRetry();
                        retrySlot = false;
                    }

                    if (result.Outcome == TryOutcome.Response)
                    {
                        var head = result.Head;
                        cluster.OutlierDetector?.Report(endpoint, head.Status, localFailure: false);
                        if (exchange.Activity.DeadlinePassed && holdBack is not null && holdBack.RetriesResponse(head.Status, head.GrpcStatus))
                        {
                            UpstreamTry.Discard(hop, result.Connection!, head, exchange.IsHead, settings);
                            Complete(exchange, await TimedOutAsync(exchange).ConfigureAwait(false), endpoint);
                            return;
                        }

                        if (holdBack is not null && holdBack.RetriesResponse(head.Status, head.GrpcStatus))
                        {
                            // The upstream's answer is retriable and never reaches the client.
                            UpstreamTry.Discard(hop, result.Connection!, head, exchange.IsHead, settings);
                            if (breaker is not null && !(retrySlot = breaker.TryEnterRetry()))
                            {
                                const ResponseFlags overflow = ResponseFlags.UpstreamOverflow;
                                await ResponseRelay.WriteLocalReplyAsync(exchange, StatusCodes.Status503ServiceUnavailable, overflow, timeProvider).ConfigureAwait(false);
                                Complete(exchange, overflow, endpoint);
                                return;
                            }

                            if (!await BackoffAsync(exchange, holdBack, attempt).ConfigureAwait(false))
                            {
                                Complete(exchange, await TimedOutAsync(exchange).ConfigureAwait(false), endpoint);
                                return;
                            }

                            endpoint = cluster.LoadBalancer.Pick() ?? endpoint;
                            continue;
                        }

                        var relayed = await ResponseRelay.RelayAsync(exchange, hop, result.Connection!, head, null, settings).ConfigureAwait(false);
                        var flags = relayed switch
                        {
                            RelayOutcome.UpstreamFailed => ResponseFlags.UpstreamConnectionTermination,
                            RelayOutcome.DownstreamFailed => ResponseFlags.DownstreamConnectionTermination,
                            _ => ResponseFlags.None,
                        };
                        if (last && maxTries > 1 && policy!.RetriesResponse(head.Status, head.GrpcStatus))
                        {
                            flags |= ResponseFlags.UpstreamRetryLimitExceeded;
                        }

                        Complete(exchange, flags, endpoint);
                        return;
                    }

                    cluster.OutlierDetector?.Report(endpoint, 0, localFailure: true);
                    if (exchange.Activity.DeadlinePassed)
                    {
                        Complete(exchange, await TimedOutAsync(exchange).ConfigureAwait(false), endpoint);
                        return;
                    }

                    var (failure, status, failureFlags) = result.Outcome switch
                    {
                        TryOutcome.ConnectFailure => (FailureKind.ConnectFailure, StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamConnectionFailure),
                        TryOutcome.TimedOut => (FailureKind.Reset, StatusCodes.Status504GatewayTimeout, ResponseFlags.UpstreamRequestTimeout),
                        _ => (FailureKind.Reset, StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamConnectionTermination),
                    };
                    var retriable = policy is not null && policy.RetriesFailure(failure);
                    if (retriable && !last && (breaker is null || (retrySlot = breaker.TryEnterRetry())))
                    {
                        if (!await BackoffAsync(exchange, policy!, attempt).ConfigureAwait(false))
                        {
                            Complete(exchange, await TimedOutAsync(exchange).ConfigureAwait(false), endpoint);
                            return;
                        }

                        endpoint = cluster.LoadBalancer.Pick() ?? endpoint;
                        continue;
                    }

                    if (retriable && last && maxTries > 1)
                    {
                        failureFlags |= ResponseFlags.UpstreamRetryLimitExceeded;
                    }

                    await ResponseRelay.WriteLocalReplyAsync(exchange, status, failureFlags, timeProvider).ConfigureAwait(false);
                    Complete(exchange, failureFlags, endpoint);
                    return;
                }
                finally
                {
                    if (tracked)
                    {
                        endpoint.OnRequestFinished();
                    }
                }
            }
        }
        finally
        {
            if (retrySlot)
            {
                breaker!.ExitRetry();
            }
        }
    }

    /// <summary>A route whose only action besides Istio's default retries is a timeout, which the lean path applies.</summary>
    private static bool OnlyTimeout(Routing.Actions.RouteActions actions) =>
        actions.Timeout > TimeSpan.Zero && actions.PathRewrite is null && actions.AuthorityRewrite is null && actions.RequestHeaders is null
        && actions.ResponseHeaders is null && actions.DestinationRequestHeaders is null && actions.DestinationResponseHeaders is null
        && actions.Mirrors.Length == 0 && actions.Cors is null && actions.Fault is null && (actions.Retry is null || actions.Retry.IsIstioDefault);

    /// <summary>The request as this try's next hop gets it: with the inbound-port and peer-metadata fields when the
    /// endpoint is fronted by a sidecar.</summary>
    private static void BuildRequest(Http1Exchange exchange, UpstreamEndpoint endpoint)
    {
        var head = exchange.Head;
        var extra = new ForwardedHeaders
        {
            InboundPort = endpoint.Sidecar is null ? 0 : endpoint.Port,
            PeerMetadata = endpoint.Sidecar is null ? null : exchange.Local?.Metadata,
            RequestId = exchange.RequestId,
        };
        exchange.WriteUpstreamRequest(extra);
    }

    /// <summary>Waits before the next try; false when the route timeout runs out first.</summary>
    private async ValueTask<bool> BackoffAsync(Http1Exchange exchange, RetryPolicy policy, int attempt)
    {
        var delay = policy.Backoff(attempt, random);
        var remaining = exchange.Activity.Remaining;
        if (remaining != Timeout.InfiniteTimeSpan && remaining <= delay)
        {
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, timeProvider).ConfigureAwait(false);
            }

            return false;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, timeProvider).ConfigureAwait(false);
        }

        return true;
    }

    private async ValueTask<ResponseFlags> TimedOutAsync(Http1Exchange exchange)
    {
        const ResponseFlags flags = ResponseFlags.UpstreamRequestTimeout;
        await ResponseRelay.WriteLocalReplyAsync(exchange, StatusCodes.Status504GatewayTimeout, flags, timeProvider).ConfigureAwait(false);
        return flags;
    }

    private HopSettings SettingsFor(UpstreamCluster cluster) => cluster.Connections is { } own
        ? new HopSettings(own.ConnectTimeout, own.IdleTimeout, own.Limits.MaxRequestsPerConnection is > 0 and <= int.MaxValue ? (int)own.Limits.MaxRequestsPerConnection : 0, defaults.ActivityTimeout)
        : defaults;
}
