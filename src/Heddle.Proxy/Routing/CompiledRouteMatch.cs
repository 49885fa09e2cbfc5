using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Routing;

/// <summary>One alternative of a route: every condition must hold.</summary>
internal sealed class CompiledRouteMatch(StringMatcher? uri, HeaderMatcher[] headers)
{
    public StringMatcher? Uri { get; } = uri;

    public HeaderMatcher[] Headers { get; } = headers;

    public bool IsMatch(string path, IHeaderDictionary headers)
    {
        if (Uri is not null && !Uri.IsMatch(path))
        {
            return false;
        }

        var matchers = Headers;
        for (var i = 0; i < matchers.Length; i++)
        {
            if (!matchers[i].IsMatch(headers))
            {
                return false;
            }
        }

        return true;
    }
}
