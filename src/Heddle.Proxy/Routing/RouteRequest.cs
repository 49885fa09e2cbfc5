using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Routing;

/// <summary>
/// The parts of a request that route matching reads, taken without copying. A part left null is unknown, and a
/// condition on an unknown part does not hold, so a route never matches more requests than its author wrote.
/// </summary>
internal readonly struct RouteRequest
{
    public RouteRequest(string path, IHeaderDictionary headers, string? method = null, string? scheme = null, string? query = null)
    {
        Path = path;
        Headers = headers;
        Method = method;
        Scheme = scheme;
        Query = query;
    }

    /// <summary>The path without the query string; "/" when the request has none.</summary>
    public string Path { get; }

    public IHeaderDictionary Headers { get; }

    public string? Method { get; }

    public string? Scheme { get; }

    /// <summary>The authority as the client sent it: HTTP/1.1 Host, or HTTP/2 :authority, which Kestrel keeps as Host.
    /// Read only when a match names it.</summary>
    public string Authority => Headers.Host.ToString();

    /// <summary>The raw query string, with or without its leading '?'; "" when the request has none.</summary>
    public string? Query { get; }

    public static RouteRequest From(HttpRequest request)
    {
        var path = request.Path.Value;
        return new RouteRequest(
            string.IsNullOrEmpty(path) ? "/" : path,
            request.Headers,
            request.Method,
            request.Scheme,
            request.QueryString.Value ?? "");
    }
}
