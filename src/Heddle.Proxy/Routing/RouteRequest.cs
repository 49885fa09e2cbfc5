using Heddle.Proxy.Http1;
using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Routing;

/// <summary>
/// The parts of a request that route matching reads, taken without copying: from Kestrel's <see cref="HttpRequest"/>
/// or from the lean HTTP/1.1 path's <see cref="RequestHead"/>. A part left null is unknown, and a condition on an
/// unknown part does not hold, so a route never matches more requests than its author wrote.
/// </summary>
internal readonly ref struct RouteRequest
{
    public RouteRequest(string path, IHeaderDictionary headers, string? method = null, string? scheme = null, string? query = null)
    {
        Path = path;
        Headers = headers;
        Method = method;
        Scheme = scheme;
        Query = query;
        HasQuery = query is not null;
    }

    /// <summary>A request of the lean path: path, query and headers are read from <paramref name="head"/>.</summary>
    public RouteRequest(RequestHead head, string scheme)
    {
        Path = head.PathChars;
        Head = head;
        Method = head.Method;
        Scheme = scheme;
        Query = head.QueryChars;
        HasQuery = true;
    }

    /// <summary>The path without the query string; "/" when the request has none.</summary>
    public ReadOnlySpan<char> Path { get; }

    /// <summary>Kestrel's headers, or null for a lean-path request (see <see cref="Head"/>).</summary>
    public IHeaderDictionary? Headers { get; }

    /// <summary>The lean path's request head, or null.</summary>
    public RequestHead? Head { get; }

    public string? Method { get; }

    public string? Scheme { get; }

    /// <summary>The authority as the client sent it: HTTP/1.1 Host, or HTTP/2 :authority, which Kestrel keeps as Host.
    /// Read only when a match names it.</summary>
    public ReadOnlySpan<char> Authority => Head is { } head ? head.Authority : Headers!.Host.ToString();

    /// <summary>The raw query string, with or without its leading '?'; empty when the request has none.</summary>
    public ReadOnlySpan<char> Query { get; }

    /// <summary>Whether the query is known (it is always known for real requests).</summary>
    public bool HasQuery { get; }

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
