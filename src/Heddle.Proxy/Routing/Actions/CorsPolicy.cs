using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Routing.Actions;

/// <summary>
/// Istio's <c>corsPolicy</c> with Envoy's CORS filter behaviour: a preflight (OPTIONS with Origin and
/// Access-Control-Request-Method) from an allowed origin is answered by the proxy; other requests from an allowed
/// origin are forwarded and get Access-Control-Allow-Origin (and credentials, exposed headers) on the response.
/// </summary>
internal sealed class CorsPolicy(
    StringMatcher[] allowOrigins,
    string allowMethods,
    string allowHeaders,
    string exposeHeaders,
    string maxAge,
    bool allowCredentials,
    bool ignoreUnmatchedPreflights)
{
    public string AllowMethods { get; } = allowMethods;

    public string AllowHeaders { get; } = allowHeaders;

    public string ExposeHeaders { get; } = exposeHeaders;

    public string MaxAge { get; } = maxAge;

    public bool AllowCredentials { get; } = allowCredentials;

    /// <summary>Preflights from origins not allowed are answered (200, no CORS headers) instead of forwarded.</summary>
    public bool IgnoreUnmatchedPreflights { get; } = ignoreUnmatchedPreflights;

    public bool IsOriginAllowed(string origin)
    {
        foreach (var matcher in allowOrigins)
        {
            if (matcher.IsMatch(origin))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && !string.IsNullOrEmpty(request.Headers.Origin)
        && !string.IsNullOrEmpty(request.Headers.AccessControlRequestMethod);

    /// <summary>Headers of the proxy's answer to an allowed preflight.</summary>
    public void WritePreflightHeaders(IHeaderDictionary headers, string origin)
    {
        headers.AccessControlAllowOrigin = origin;
        if (AllowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (AllowMethods.Length > 0)
        {
            headers.AccessControlAllowMethods = AllowMethods;
        }

        if (AllowHeaders.Length > 0)
        {
            headers.AccessControlAllowHeaders = AllowHeaders;
        }

        if (MaxAge.Length > 0)
        {
            headers.AccessControlMaxAge = MaxAge;
        }
    }

    /// <summary>Headers added to the upstream's response to an actual request from an allowed origin.</summary>
    public void WriteResponseHeaders(IHeaderDictionary headers, string origin)
    {
        headers.AccessControlAllowOrigin = origin;
        if (AllowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (ExposeHeaders.Length > 0)
        {
            headers.AccessControlExposeHeaders = ExposeHeaders;
        }
    }
}
