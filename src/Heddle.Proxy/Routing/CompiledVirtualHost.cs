using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Routing;

/// <summary>The routes of one service port, evaluated in order; the first match wins.</summary>
internal sealed class CompiledVirtualHost(string name, string[] domains, CompiledRoute[] routes, int port = 0)
{
    /// <summary>The service port the virtual host serves (0 when unknown).</summary>
    public int Port { get; } = port;

    public string Name { get; } = name;

    public string[] Domains { get; } = domains;

    public CompiledRoute[] Routes { get; } = routes;

    /// <summary>The first route whose conditions the request meets, reading every part a match can name.</summary>
    public CompiledRoute? Match(HttpRequest request) => Match(RouteRequest.From(request));

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
