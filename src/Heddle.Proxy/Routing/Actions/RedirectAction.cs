using System.Globalization;
using Heddle.Discovery.V1;

namespace Heddle.Proxy.Routing.Actions;

/// <summary>
/// Istio's <c>redirect</c>: the Location keeps every part of the request the redirect does not replace. A port equal
/// to the scheme's default is left out, as Envoy does.
/// </summary>
internal sealed class RedirectAction(RouteRedirect source)
{
    public int Status { get; } = source.Status == 0 ? 301 : (int)source.Status;

    public string Location(string scheme, string authority, string path, string query, int requestPort)
    {
        var finalScheme = source.Scheme.Length > 0 ? source.Scheme : scheme;
        SplitAuthority(source.Authority.Length > 0 ? source.Authority : authority, out var host, out var port);

        switch (source.DerivePort)
        {
            case RouteRedirect.Types.DerivePort.FromProtocolDefault:
                port = null;
                break;
            case RouteRedirect.Types.DerivePort.FromRequestPort:
                port = requestPort;
                break;
            default:
                if (source.Port != 0)
                {
                    port = (int)source.Port;
                }
                else if (source.Scheme.Length > 0 && port == DefaultPort(scheme))
                {
                    // Changing the scheme drops the old scheme's default port rather than carrying 80 into https.
                    port = null;
                }

                break;
        }

        if (port == DefaultPort(finalScheme))
        {
            port = null;
        }

        string newPath, newQuery;
        if (source.Path.Length > 0)
        {
            var question = source.Path.IndexOf('?');
            newPath = question < 0 ? source.Path : source.Path[..question];
            newQuery = question < 0 ? query : source.Path[question..];
        }
        else
        {
            newPath = path;
            newQuery = query;
        }

        return port is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{finalScheme}://{host}:{p}{newPath}{newQuery}")
            : string.Concat(finalScheme, "://", host, newPath, newQuery);
    }

    private static int DefaultPort(string scheme) => string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;

    private static void SplitAuthority(string authority, out string host, out int? port)
    {
        var colon = authority.LastIndexOf(':');
        var bracket = authority.LastIndexOf(']');
        if (colon > bracket && int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            host = authority[..colon];
            port = parsed;
            return;
        }

        host = authority;
        port = null;
    }
}
