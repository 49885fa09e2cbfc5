using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Heddle.Proxy.Routing;

/// <summary>One header condition of a route match: presence, or a value match, possibly inverted.</summary>
internal sealed class HeaderMatcher(string name, StringMatcher? value, bool invert)
{
    public string Name { get; } = name;

    public StringMatcher? Value { get; } = value;

    public bool Invert { get; } = invert;

    public bool IsMatch(IHeaderDictionary headers)
    {
        bool matched;
        if (!headers.TryGetValue(Name, out var values) || values.Count == 0)
        {
            matched = false;
        }
        else if (Value is null)
        {
            matched = true;
        }
        else
        {
            // Several values of one header are matched as one comma-separated value, as Envoy does.
            matched = Value.IsMatch(values.Count == 1 ? values[0] : Join(values));
        }

        return matched != Invert;
    }

    private static string Join(StringValues values) => values.ToString();
}
