using System.Net;
using Heddle.Discovery.V1;
using Microsoft.Extensions.Primitives;

namespace Heddle.Proxy.LoadBalancing.ConsistentHash;

/// <summary>Reads the request property a consistent hash is computed over (a header, a cookie, the client's address
/// or a query parameter) and hashes it in place, without building strings.</summary>
internal sealed class HashKey
{
    private readonly ConsistentHashPolicy.KeyOneofCase _kind;
    private readonly string _name;

    public HashKey(ConsistentHashPolicy policy)
    {
        _kind = policy.KeyCase;
        _name = policy.KeyCase switch
        {
            ConsistentHashPolicy.KeyOneofCase.HeaderName => policy.HeaderName,
            ConsistentHashPolicy.KeyOneofCase.Cookie => policy.Cookie.Name,
            ConsistentHashPolicy.KeyOneofCase.QueryParameterName => policy.QueryParameterName,
            _ => "",
        };
    }

    /// <summary>False when the request does not carry the property (then the pick is random, or a cookie is issued).</summary>
    public bool TryHash(HttpContext context, out ulong hash)
    {
        switch (_kind)
        {
            case ConsistentHashPolicy.KeyOneofCase.HeaderName:
                if (context.Request.Headers.TryGetValue(_name, out var header) && header.Count > 0 && header[0] is { } value)
                {
                    hash = StableHash.Of(value);
                    return true;
                }

                break;
            case ConsistentHashPolicy.KeyOneofCase.Cookie:
                if (TryFindCookie(context.Request.Headers.Cookie, _name, out var cookie))
                {
                    hash = StableHash.Of(cookie);
                    return true;
                }

                break;
            case ConsistentHashPolicy.KeyOneofCase.SourceIp:
                if (context.Connection.RemoteIpAddress is { } address)
                {
                    Span<byte> bytes = stackalloc byte[16];
                    if (address.TryWriteBytes(bytes, out var written))
                    {
                        hash = StableHash.Of(bytes[..written]);
                        return true;
                    }
                }

                break;
            case ConsistentHashPolicy.KeyOneofCase.QueryParameterName:
                if (TryFindQueryParameter(context.Request.QueryString.Value, _name, out var parameter))
                {
                    hash = StableHash.Of(parameter);
                    return true;
                }

                break;
        }

        hash = 0;
        return false;
    }

    /// <summary>The value of cookie <paramref name="name"/> in Cookie headers ("a=1; b=2"), quotes removed.</summary>
    internal static bool TryFindCookie(StringValues headers, string name, out ReadOnlySpan<char> value)
    {
        for (var h = 0; h < headers.Count; h++)
        {
            var rest = (headers[h] ?? "").AsSpan();
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf(';');
                var pair = (end < 0 ? rest : rest[..end]).Trim();
                rest = end < 0 ? [] : rest[(end + 1)..];
                var equals = pair.IndexOf('=');
                if (equals > 0 && pair[..equals].TrimEnd().SequenceEqual(name))
                {
                    value = pair[(equals + 1)..].Trim();
                    if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                    {
                        value = value[1..^1];
                    }

                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    /// <summary>The first value of query parameter <paramref name="name"/> in "?a=1&amp;b=2", as sent.</summary>
    internal static bool TryFindQueryParameter(string? query, string name, out ReadOnlySpan<char> value)
    {
        var rest = (query ?? "").AsSpan();
        if (!rest.IsEmpty && rest[0] == '?')
        {
            rest = rest[1..];
        }

        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('&');
            var pair = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (key.SequenceEqual(name))
            {
                value = equals < 0 ? [] : pair[(equals + 1)..];
                return true;
            }
        }

        value = default;
        return false;
    }
}
