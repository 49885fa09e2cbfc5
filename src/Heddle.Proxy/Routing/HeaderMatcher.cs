using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Heddle.Proxy.Routing;

/// <summary>One header condition of a route match: presence, or a value match, possibly inverted.</summary>
internal sealed class HeaderMatcher(string name, StringMatcher? value, bool invert)
{
    private const int MaxStackJoin = 512;

    public string Name { get; } = name;

    public StringMatcher? Value { get; } = value;

    public bool Invert { get; } = invert;

    public bool IsMatch(in RouteRequest request) =>
        request.Head is { } head ? IsMatch(head) : IsMatch(request.Headers!);

    /// <summary>The same condition over the lean path's request head; repeated fields are joined as above.</summary>
    public bool IsMatch(Http1.RequestHead head)
    {
        var first = head.Find(Name);
        bool matched;
        if (first < 0)
        {
            matched = false;
        }
        else if (Value is null)
        {
            matched = true;
        }
        else
        {
            var second = head.Find(Name, first + 1);
            matched = second < 0 ? Value.IsMatch(head.Value(first)) : IsJoinedMatch(Value, head, first);
        }

        return matched != Invert;
    }

    private bool IsJoinedMatch(StringMatcher matcher, Http1.RequestHead head, int first)
    {
        // The joined value is never longer than the head itself.
        var rented = ArrayPool<char>.Shared.Rent(head.Length);
        try
        {
            var written = 0;
            for (var i = first; i >= 0; i = head.Find(Name, i + 1))
            {
                if (written > 0 || i != first)
                {
                    rented[written++] = ',';
                }

                var value = head.Value(i);
                value.CopyTo(rented.AsSpan(written));
                written += value.Length;
            }

            return matcher.IsMatch(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

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
            matched = values.Count == 1 ? Value.IsMatch(values[0]) : IsJoinedMatch(Value, values);
        }

        return matched != Invert;
    }

    /// <summary>Joins the values into a stack or pooled buffer, so that repeated headers do not allocate either.</summary>
    private static bool IsJoinedMatch(StringMatcher matcher, StringValues values)
    {
        var length = values.Count - 1;
        foreach (var value in values)
        {
            length += value?.Length ?? 0;
        }

        char[]? rented = null;
        var buffer = length <= MaxStackJoin ? stackalloc char[MaxStackJoin] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = 0;
            var first = true;
            foreach (var value in values)
            {
                if (!first)
                {
                    buffer[written++] = ',';
                }

                first = false;

                value.AsSpan().CopyTo(buffer[written..]);
                written += value?.Length ?? 0;
            }

            return matcher.IsMatch(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
