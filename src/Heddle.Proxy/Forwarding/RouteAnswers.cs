using Heddle.Proxy.Forwarding.Faults;
using Heddle.Proxy.Routing;
using Heddle.Proxy.Routing.Actions;
using Heddle.Proxy.Telemetry;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// What a route does before a request is forwarded, in the order of Envoy's filter chain in an Istio sidecar: fault
/// injection, then CORS (the proxy answers preflights), then the router's own answers (redirect, direct response).
/// </summary>
internal sealed class RouteAnswers(FaultInjector faults)
{
    /// <summary>Answered: the response is complete and the request must not be forwarded.</summary>
    public async ValueTask<(bool Answered, ResponseFlags Flags)> RunAsync(HttpContext context, CompiledVirtualHost virtualHost, CompiledRoute route, string authority)
    {
        var actions = route.Actions;
        var flags = ResponseFlags.None;
        if (actions.Fault is { } fault)
        {
            (var answered, flags) = await faults.ApplyAsync(context, fault).ConfigureAwait(false);
            if (answered)
            {
                return (true, flags);
            }
        }

        var request = context.Request;
        var response = context.Response;
        string? corsOrigin = null;
        if (actions.Cors is { } cors && request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            var allowed = cors.IsOriginAllowed(origin);
            if (CorsPolicy.IsPreflight(request) && (allowed || cors.IgnoreUnmatchedPreflights))
            {
                response.StatusCode = StatusCodes.Status200OK;
                if (allowed)
                {
                    cors.WritePreflightHeaders(response.Headers, origin);
                }

                response.ContentLength = 0;
                return (true, flags);
            }

            corsOrigin = allowed ? origin : null;
        }

        if (actions.Redirect is { } redirect)
        {
            var path = string.IsNullOrEmpty(request.Path.Value) ? "/" : request.Path.ToUriComponent();
            var port = virtualHost.Port > 0 ? virtualHost.Port : 80;
            response.StatusCode = redirect.Status;
            response.Headers.Location = redirect.Location(request.Scheme, authority, path, request.QueryString.ToUriComponent(), port);
            ApplyResponseHeaders(actions, response.Headers, corsOrigin);
            response.ContentLength = 0;
            return (true, flags);
        }

        if (actions.DirectResponse is { } direct)
        {
            response.StatusCode = direct.Status;
            ApplyResponseHeaders(actions, response.Headers, corsOrigin);
            response.ContentLength = direct.Body.Length;
            if (direct.Body.Length > 0)
            {
                response.ContentType ??= "text/plain";
                await response.Body.WriteAsync(direct.Body, context.RequestAborted).ConfigureAwait(false);
            }

            return (true, flags);
        }

        return (false, flags);
    }

    private static void ApplyResponseHeaders(RouteActions actions, IHeaderDictionary headers, string? corsOrigin)
    {
        actions.ResponseHeaders?.Apply(headers);
        if (corsOrigin is not null)
        {
            actions.Cors!.WriteResponseHeaders(headers, corsOrigin);
        }
    }
}
