using Heddle.Proxy.Forwarding.Mirroring;
using Heddle.Proxy.Forwarding.Retries;
using Heddle.Proxy.Routing.Actions;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Upstreams;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// Forwards a routed request: mirrors it, then tries it as the route's retry policy allows, inside the route timeout.
/// The timeout bounds every try and every backoff; when it expires the client gets 504 with flag UT. When the last try
/// still fails in a way the policy retries, the access log gets URX.
/// </summary>
internal sealed class RouteForwarder(IUpstreamSender sender, MirrorSender mirrors, Random random, TimeProvider timeProvider)
{
    public async ValueTask<(ResponseFlags Flags, UpstreamEndpoint Endpoint)> ForwardAsync(
        HttpContext context, RouteActions actions, UpstreamCluster cluster, UpstreamEndpoint endpoint, RouteTransformer? transformer)
    {
        var policy = actions.Retry;
        var maxTries = policy is null ? 1 : policy.NumRetries + 1;
        // Copies of a request with a body leave once the primary has read the body to the end.
        var mirrorBody = actions.Mirrors.Length > 0 ? mirrors.Send(context, actions, transformer?.PathAndQuery) : null;

        if (maxTries > 1)
        {
            RequestBodyBuffer.Record(context);
        }

        try
        {
            if (actions.Timeout <= TimeSpan.Zero && (policy is null || policy.PerTryTimeout <= TimeSpan.Zero))
            {
                return await TryAllAsync(context, policy, maxTries, cluster, endpoint, transformer, null).ConfigureAwait(false);
            }

            using var routeTimeout = actions.Timeout > TimeSpan.Zero ? new CancellationTokenSource(actions.Timeout, timeProvider) : null;
            return await TryAllAsync(context, policy, maxTries, cluster, endpoint, transformer, routeTimeout).ConfigureAwait(false);
        }
        finally
        {
            RequestBodyBuffer.Release(context);
            mirrorBody?.Abandon();
        }
    }

    private async ValueTask<(ResponseFlags Flags, UpstreamEndpoint Endpoint)> TryAllAsync(
        HttpContext context,
        RetryPolicy? policy,
        int maxTries,
        UpstreamCluster cluster,
        UpstreamEndpoint endpoint,
        RouteTransformer? transformer,
        CancellationTokenSource? routeTimeout)
    {
        // connectionPool.http.maxRetries: a retry holds one of the cluster's retry slots from its backoff until its try
        // ends; a retry the budget refuses is not made.
        var breaker = cluster.CircuitBreaker;
        var retrySlot = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var last = attempt >= maxTries;
                // The transformer holds a retriable response back only while the body can still be sent again, and only
                // while the retry budget has room (a held-back answer can no longer reach the client); the slot this
                // request holds for the current try is returned before the next one.
                var holdBack = last || (breaker is { HasRetryRoom: false } && !retrySlot) ? null : policy;
                if (attempt > 1)
                {
                    RequestBodyBuffer.Rewind(context);
                }

                var (error, perTryExpired) = await TryOnceAsync(context, cluster, endpoint, transformer, holdBack, policy, routeTimeout).ConfigureAwait(false);
                if (retrySlot)
                {
                    breaker!.ExitRetry();
                    retrySlot = false;
                }

                cluster.ReportOutcome(endpoint, context, error);
                if (routeTimeout is { IsCancellationRequested: true })
                {
                    return (await TimedOutAsync(context).ConfigureAwait(false), endpoint);
                }

                if (error == ForwarderError.None)
                {
                    if (RetryHold.TakeMark(context))
                    {
                        // The upstream's answer was retriable and never reached the client.
                        context.Response.Clear();
                        if (breaker is not null && !(retrySlot = breaker.TryEnterRetry()))
                        {
                            // Another request took the last retry slot since this try started: overflow.
                            await LocalReply.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ResponseFlags.UpstreamOverflow).ConfigureAwait(false);
                            return (ResponseFlags.UpstreamOverflow, endpoint);
                        }

                        if (!await BackoffAsync(context, policy!, attempt, routeTimeout).ConfigureAwait(false))
                        {
                            return (await TimedOutAsync(context).ConfigureAwait(false), endpoint);
                        }

                        endpoint = cluster.Pick(context) ?? endpoint;
                        continue;
                    }

                    var flags = ResponseFlags.None;
                    if (last && maxTries > 1 && policy!.RetriesResponse(context.Response, context.Request.Headers, GrpcStatus(context.Response)))
                    {
                        flags = ResponseFlags.UpstreamRetryLimitExceeded;
                    }

                    return (flags, endpoint);
                }

                var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
                var (status, failureFlags) = perTryExpired
                    ? (StatusCodes.Status504GatewayTimeout, ResponseFlags.UpstreamRequestTimeout)
                    : ForwardingOutcome.FromError(error, exception);
                var failure = Classify(context, failureFlags, exception, perTryExpired);
                var retriable = policy is not null && policy.RetriesFailure(failure);
                // A connection that never opened never read the body: that try can be repeated even when the body streams.
                if (retriable && !last && !context.Response.HasStarted && (failure == FailureKind.ConnectFailure || RequestBodyBuffer.CanReplay(context))
                    && (breaker is null || (retrySlot = breaker.TryEnterRetry())))
                {
                    context.Features.Set<IForwarderErrorFeature>(null);
                    context.Response.Clear();
                    if (!await BackoffAsync(context, policy!, attempt, routeTimeout).ConfigureAwait(false))
                    {
                        return (await TimedOutAsync(context).ConfigureAwait(false), endpoint);
                    }

                    endpoint = cluster.Pick(context) ?? endpoint;
                    continue;
                }

                if (retriable && last && maxTries > 1)
                {
                    failureFlags |= ResponseFlags.UpstreamRetryLimitExceeded;
                }

                await LocalReply.WriteAsync(context, status, failureFlags).ConfigureAwait(false);
                return (failureFlags, endpoint);
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

    private async ValueTask<(ForwarderError Error, bool PerTryExpired)> TryOnceAsync(
        HttpContext context,
        UpstreamCluster cluster,
        UpstreamEndpoint endpoint,
        RouteTransformer? transformer,
        RetryPolicy? holdBack,
        RetryPolicy? policy,
        CancellationTokenSource? routeTimeout)
    {
        HttpTransformer effective;
        if (transformer is not null)
        {
            transformer.Inner = endpoint.Transformer;
            transformer.HoldBack = holdBack;
            effective = transformer;
        }
        else
        {
            // Without per-request state only Istio's default policy can be in force (see RouteActions).
            effective = holdBack is null ? endpoint.Transformer : endpoint.Transformer.RetryingDefault;
        }

        if (policy is not { PerTryTimeout.Ticks: > 0 })
        {
            var error = await sender.SendAsync(context, cluster, endpoint, effective, routeTimeout?.Token ?? CancellationToken.None).ConfigureAwait(false);
            return (error, false);
        }

        using var perTry = new CancellationTokenSource(policy.PerTryTimeout, timeProvider);
        using var linked = routeTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(routeTimeout.Token, perTry.Token);
        var result = await sender.SendAsync(context, cluster, endpoint, effective, (linked ?? perTry).Token).ConfigureAwait(false);
        return (result, result != ForwarderError.None && perTry.IsCancellationRequested);
    }

    /// <summary>Waits before the next try; false when the route timeout expired meanwhile.</summary>
    private async ValueTask<bool> BackoffAsync(HttpContext context, RetryPolicy policy, int attempt, CancellationTokenSource? routeTimeout)
    {
        var delay = policy.Backoff(attempt, random);
        if (delay <= TimeSpan.Zero)
        {
            return routeTimeout is not { IsCancellationRequested: true };
        }

        try
        {
            await Task.Delay(delay, timeProvider, routeTimeout?.Token ?? context.RequestAborted).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return routeTimeout is not { IsCancellationRequested: true };
        }
    }

    private static async ValueTask<ResponseFlags> TimedOutAsync(HttpContext context)
    {
        context.Features.Set<IForwarderErrorFeature>(null);
        RetryHold.TakeMark(context);
        const ResponseFlags flags = ResponseFlags.UpstreamRequestTimeout;
        await LocalReply.WriteAsync(context, StatusCodes.Status504GatewayTimeout, flags).ConfigureAwait(false);
        return flags;
    }

    private static FailureKind Classify(HttpContext context, ResponseFlags flags, Exception? exception, bool perTryExpired)
    {
        if (perTryExpired)
        {
            return FailureKind.PerTryTimeout;
        }

        if (context.RequestAborted.IsCancellationRequested || (flags & ResponseFlags.DownstreamConnectionTermination) != 0)
        {
            return FailureKind.ClientGone;
        }

        if ((flags & ResponseFlags.UpstreamConnectionFailure) != 0)
        {
            return FailureKind.ConnectFailure;
        }

        if (RetryPolicy.IsRefusedStream(exception))
        {
            return FailureKind.RefusedStream;
        }

        return (flags & (ResponseFlags.UpstreamConnectionTermination | ResponseFlags.UpstreamRequestTimeout)) != 0 ? FailureKind.Reset : FailureKind.Other;
    }

    private static int GrpcStatus(HttpResponse response) =>
        response.Headers.TryGetValue("grpc-status", out var value) && int.TryParse(value.ToString(), out var code) ? code : -1;
}
