using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Routing;

/// <summary>The routes of one service port, evaluated in order; the first match wins.</summary>
internal sealed class CompiledVirtualHost(string name, string[] domains, CompiledRoute[] routes)
{
    public string Name { get; } = name;

    public string[] Domains { get; } = domains;

    public CompiledRoute[] Routes { get; } = routes;

    /// <summary>The first route whose conditions the request meets, reading every part a match can name.</summary>
    public CompiledRoute? Match(HttpRequest request) => Match(RouteRequest.From(request));

    /// <summary>
    /// The first matching route judged by path, headers and authority (the Host header) only: an alternative that
    /// also names the method, scheme or query parameters does not match. Prefer <see cref="Match(HttpRequest)"/>.
    /// </summary>
    public CompiledRoute? Match(string path, IHeaderDictionary headers) =>
        Match(new RouteRequest(path, headers));

    public CompiledRoute? Match(in RouteRequest request)
    {
        var routes = Routes;
        for (var i = 0; i < routes.Length; i++)
        {
            if (routes[i].IsMatch(request))
            {
                return routes[i];
            }
        }

        return null;
    }
}
