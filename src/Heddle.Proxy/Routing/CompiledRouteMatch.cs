namespace Heddle.Proxy.Routing;

/// <summary>One alternative of a route: every condition must hold.</summary>
internal sealed class CompiledRouteMatch(
    StringMatcher? uri,
    HeaderMatcher[] headers,
    StringMatcher? method = null,
    StringMatcher? scheme = null,
    StringMatcher? authority = null,
    QueryParamMatcher[]? queryParams = null)
{
    public StringMatcher? Uri { get; } = uri;

    public HeaderMatcher[] Headers { get; } = headers;

    public StringMatcher? Method { get; } = method;

    public StringMatcher? Scheme { get; } = scheme;

    public StringMatcher? Authority { get; } = authority;

    public QueryParamMatcher[] QueryParams { get; } = queryParams ?? [];

    public bool IsMatch(in RouteRequest request)
    {
        if (!Holds(Uri, request.Path)
            || !Holds(Method, request.Method)
            || !Holds(Scheme, request.Scheme)
            || (Authority is not null && !Authority.IsMatch(request.Authority)))
        {
            return false;
        }

        var headers = Headers;
        for (var i = 0; i < headers.Length; i++)
        {
            if (!headers[i].IsMatch(request))
            {
                return false;
            }
        }

        var queryParams = QueryParams;
        if (queryParams.Length > 0)
        {
            if (!request.HasQuery)
            {
                return false;
            }

            var query = request.Query;
            for (var i = 0; i < queryParams.Length; i++)
            {
                if (!queryParams[i].IsMatch(query))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Holds(StringMatcher? matcher, string? value) =>
        matcher is null || (value is not null && matcher.IsMatch(value));

    private static bool Holds(StringMatcher? matcher, ReadOnlySpan<char> value) =>
        matcher is null || matcher.IsMatch(value);
}
