using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Routing;

/// <summary>The routes of one service port, evaluated in order; the first match wins.</summary>
internal sealed class CompiledVirtualHost(string name, string[] domains, CompiledRoute[] routes)
{
    public string Name { get; } = name;

    public string[] Domains { get; } = domains;

    public CompiledRoute[] Routes { get; } = routes;

    public CompiledRoute? Match(string path, IHeaderDictionary headers)
    {
        var routes = Routes;
        for (var i = 0; i < routes.Length; i++)
        {
            if (routes[i].IsMatch(path, headers))
            {
                return routes[i];
            }
        }

        return null;
    }
}
