namespace Heddle.Proxy.Routing;

/// <summary>
/// One query parameter condition. Like Envoy, only the parameter's first occurrence counts and its value is compared
/// as sent (not percent-decoded); "?debug" has the value "". The query string is scanned in place.
/// </summary>
internal sealed class QueryParamMatcher(string name, StringMatcher? value)
{
    public string Name { get; } = name;

    /// <summary>Null: the parameter must be present, with any value.</summary>
    public StringMatcher? Value { get; } = value;

    public bool IsMatch(ReadOnlySpan<char> query)
    {
        if (!query.IsEmpty && query[0] == '?')
        {
            query = query[1..];
        }

        while (!query.IsEmpty)
        {
            var end = query.IndexOf('&');
            var pair = end < 0 ? query : query[..end];
            query = end < 0 ? [] : query[(end + 1)..];

            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (key.SequenceEqual(Name))
            {
                return Value is null || Value.IsMatch(equals < 0 ? [] : pair[(equals + 1)..]);
            }
        }

        return false;
    }
}
