using Heddle.Proxy.Forwarding.Retries;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Routing.Actions;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// The transformer of one request on a route with actions: the endpoint's mesh transformer, then the route's rewrite
/// and header changes on the way up, its header changes and CORS headers on the way down, and holding back responses
/// the retry policy repeats. Created per request, and only for routes that need it.
/// </summary>
internal sealed class RouteTransformer : HttpTransformer
{
    private readonly RouteActions _actions;
    private readonly HeaderMutation? _destinationRequest;
    private readonly HeaderMutation? _destinationResponse;
    private readonly string? _corsOrigin;

    private RouteTransformer(RouteActions actions, int clusterIndex, string? pathAndQuery, string? corsOrigin)
    {
        _actions = actions;
        _destinationRequest = actions.DestinationRequestHeaders?[clusterIndex];
        _destinationResponse = actions.DestinationResponseHeaders?[clusterIndex];
        PathAndQuery = pathAndQuery;
        _corsOrigin = corsOrigin;
    }

    /// <summary>The endpoint's transformer for the current try.</summary>
    public MeshTransformer Inner { get; set; } = MeshTransformer.Direct;

    /// <summary>The retry policy whose retriable responses the current try holds back; null on the last try.</summary>
    public RetryPolicy? HoldBack { get; set; }

    /// <summary>The escaped path and query sent upstream after a rewrite; null when the route does not rewrite the path.</summary>
    public string? PathAndQuery { get; }

    public static RouteTransformer Create(HttpContext context, CompiledRoute route, int clusterIndex)
    {
        var actions = route.Actions;
        var request = context.Request;
        string? pathAndQuery = null;
        if (actions.PathRewrite is { } rewrite)
        {
            var path = string.IsNullOrEmpty(request.Path.Value) ? "/" : request.Path.Value;
            var routeRequest = RouteRequest.From(request);
            var matched = route.MatchedPathLength(route.MatchIndex(routeRequest), path);
            pathAndQuery = new PathString(rewrite.Apply(path, matched)).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        string? corsOrigin = null;
        if (actions.Cors is { } cors && request.Headers.Origin.ToString() is { Length: > 0 } origin && cors.IsOriginAllowed(origin))
        {
            corsOrigin = origin;
        }

        return new RouteTransformer(actions, clusterIndex, pathAndQuery, corsOrigin);
    }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await Inner.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        if (PathAndQuery is not null)
        {
            proxyRequest.RequestUri = new Uri(destinationPrefix + PathAndQuery, UriKind.Absolute);
        }

        if (_actions.AuthorityRewrite is { } authority)
        {
            proxyRequest.Headers.Host = authority;
        }

        // The destination's changes first, then the route's, so that the route's win (Envoy's default order).
        _destinationRequest?.Apply(proxyRequest);
        _actions.RequestHeaders?.Apply(proxyRequest);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (HoldBack is { } policy && proxyResponse is not null && policy.RetriesResponse(proxyResponse, httpContext.Request.Headers) && RequestBodyBuffer.CanReplay(httpContext))
        {
            RetryHold.Mark(httpContext);
            return false;
        }

        var copyBody = await Inner.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        ApplyResponseHeaders(httpContext.Response.Headers);
        return copyBody;
    }

    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
        Inner.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken);

    /// <summary>The route's response changes, also applied to answers the proxy gives itself for the route.</summary>
    public void ApplyResponseHeaders(IHeaderDictionary headers)
    {
        _destinationResponse?.Apply(headers);
        _actions.ResponseHeaders?.Apply(headers);
        if (_corsOrigin is not null)
        {
            _actions.Cors!.WriteResponseHeaders(headers, _corsOrigin);
        }
    }
}
