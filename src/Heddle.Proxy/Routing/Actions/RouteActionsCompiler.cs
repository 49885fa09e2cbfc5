using System.Diagnostics.CodeAnalysis;
using Heddle.Discovery.V1;
using Heddle.Proxy.Forwarding.Retries;
using Heddle.Proxy.Upstreams;
using Route = Heddle.Discovery.V1.Route;

namespace Heddle.Proxy.Routing.Actions;

/// <summary>Compiles a route's action fields from the protocol, or names the first problem.</summary>
internal static class RouteActionsCompiler
{
    public static bool TryCompile(
        Route source,
        IReadOnlyDictionary<string, UpstreamCluster> clusters,
        [NotNullWhen(true)] out RouteActions? actions,
        [NotNullWhen(false)] out string? reason)
    {
        actions = null;
        reason = null;
        var retry = RetryPolicy.From(source.RetryPolicy);
        if (IsPlain(source))
        {
            actions = retry is null ? RouteActions.Plain : retry.IsIstioDefault ? RouteActions.DefaultRetries : new RouteActions { Retry = retry }.Seal();
            return true;
        }

        PathRewrite? pathRewrite = null;
        if (source.Rewrite is { } rewrite)
        {
            if (rewrite.Regex.Length > 0)
            {
                if (!PathRewrite.TryRegex(rewrite.Regex, rewrite.RegexSubstitution, out pathRewrite, out var error))
                {
                    reason = $"rewrite: invalid regular expression '{rewrite.Regex}': {error}";
                    return false;
                }
            }
            else if (rewrite.UriPrefix.Length > 0)
            {
                pathRewrite = PathRewrite.Prefix(rewrite.UriPrefix);
            }
        }

        var mirrors = new MirrorTarget[source.Mirrors.Count];
        for (var i = 0; i < mirrors.Length; i++)
        {
            var mirror = source.Mirrors[i];
            if (!clusters.TryGetValue(mirror.Cluster, out var cluster))
            {
                reason = $"mirror {i} sends to cluster '{mirror.Cluster}', which is not in the configuration";
                return false;
            }

            mirrors[i] = new MirrorTarget(cluster, (int)Math.Min(mirror.PerMillion, FaultPolicy.Million));
        }

        CorsPolicy? cors = null;
        if (source.Cors is { } corsSource && !TryCompileCors(corsSource, out cors, out reason))
        {
            return false;
        }

        if (source.Redirect is not null && source.DirectResponse is not null)
        {
            reason = "a route cannot both redirect and answer directly";
            return false;
        }

        var (destinationRequest, destinationResponse) = DestinationHeaders(source, out reason);
        if (reason is not null)
        {
            return false;
        }

        actions = new RouteActions
        {
            Redirect = source.Redirect is { } redirect ? new RedirectAction(redirect) : null,
            DirectResponse = source.DirectResponse is { } direct ? new DirectResponseAction((int)direct.Status, direct.Body.ToByteArray()) : null,
            PathRewrite = pathRewrite,
            AuthorityRewrite = source.Rewrite is { Authority.Length: > 0 } r ? r.Authority : null,
            RequestHeaders = HeaderMutation.From(source.RequestHeaders),
            ResponseHeaders = HeaderMutation.From(source.ResponseHeaders),
            DestinationRequestHeaders = destinationRequest,
            DestinationResponseHeaders = destinationResponse,
            Timeout = TimeSpan.FromMilliseconds(source.TimeoutMs),
            Retry = retry,
            Fault = CompileFault(source.Fault),
            Mirrors = mirrors,
            Cors = cors,
        }.Seal();
        return true;
    }

    /// <summary>Null when the fault injects nothing (no share of requests, or no delay and no abort).</summary>
    private static FaultPolicy? CompileFault(RouteFault? source)
    {
        if (source is null)
        {
            return null;
        }

        var policy = new FaultPolicy(source);
        return policy.HasDelay || policy.HasAbort ? policy : null;
    }

    /// <summary>Whether the route does nothing but forward (with or without a retry policy).</summary>
    private static bool IsPlain(Route source) =>
        source.Redirect is null && source.DirectResponse is null && source.Rewrite is null
        && source.RequestHeaders is null && source.ResponseHeaders is null && source.DestinationHeaders.Count == 0
        && source.TimeoutMs == 0 && source.Fault is null && source.Mirrors.Count == 0 && source.Cors is null;

    private static (HeaderMutation?[]? Request, HeaderMutation?[]? Response) DestinationHeaders(Route source, out string? reason)
    {
        reason = null;
        if (source.DestinationHeaders.Count == 0)
        {
            return (null, null);
        }

        var request = new HeaderMutation?[source.Clusters.Count];
        var response = new HeaderMutation?[source.Clusters.Count];
        foreach (var headers in source.DestinationHeaders)
        {
            if (headers.ClusterIndex >= request.Length)
            {
                reason = $"destination headers name cluster index {headers.ClusterIndex}, but the route has {request.Length} clusters";
                return (null, null);
            }

            request[headers.ClusterIndex] = HeaderMutation.From(headers.Request);
            response[headers.ClusterIndex] = HeaderMutation.From(headers.Response);
        }

        return (request, response);
    }

    private static bool TryCompileCors(RouteCorsPolicy source, [NotNullWhen(true)] out CorsPolicy? cors, [NotNullWhen(false)] out string? reason)
    {
        cors = null;
        var origins = new StringMatcher[source.AllowOrigins.Count];
        for (var i = 0; i < origins.Length; i++)
        {
            var origin = source.AllowOrigins[i];
            switch (origin.KindCase)
            {
                case StringMatch.KindOneofCase.Exact:
                    origins[i] = StringMatcher.Exact(origin.Exact);
                    break;
                case StringMatch.KindOneofCase.Prefix:
                    origins[i] = StringMatcher.Prefix(origin.Prefix);
                    break;
                case StringMatch.KindOneofCase.Regex:
                    if (!StringMatcher.TryRegex(origin.Regex, out var regex, out var error))
                    {
                        reason = $"cors origin {i}: invalid regular expression '{origin.Regex}': {error}";
                        return false;
                    }

                    origins[i] = regex!;
                    break;
                default:
                    reason = $"cors origin {i} has no match";
                    return false;
            }
        }

        cors = new CorsPolicy(origins, source.AllowMethods, source.AllowHeaders, source.ExposeHeaders, source.MaxAge, source.AllowCredentials, source.IgnoreUnmatchedPreflights);
        reason = null;
        return true;
    }
}
