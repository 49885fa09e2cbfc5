using System.Globalization;
using Heddle.Discovery.V1;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing.ConsistentHash;

/// <summary>
/// Istio's <c>consistentHash</c>: the request's key (header, cookie, client address or query parameter) is hashed
/// into a ring-hash or Maglev table built when the snapshot is applied. A request without the key goes to a random
/// endpoint — except with an <c>httpCookie</c> that has a ttl: then the proxy issues the cookie (Set-Cookie on the
/// response, with Max-Age and Path) and hashes the value it issued, so the client sticks from its next request on.
/// An ejected endpoint's keys go to the next endpoint of the table.
/// </summary>
internal sealed class ConsistentHashLoadBalancer : ILoadBalancer
{
    private readonly IHashTable _table;
    private readonly HashKey _key;
    private readonly Random _random;
    private readonly ConsistentHashCookie? _issuedCookie;

    public ConsistentHashLoadBalancer(ConsistentHashPolicy policy, UpstreamEndpoint[] endpoints, Random random)
    {
        _table = policy.Table == ConsistentHashTable.Maglev
            ? new MaglevTable(endpoints, policy.TableSize)
            : new RingHashTable(endpoints, policy.TableSize);
        _key = new HashKey(policy);
        _random = random;
        _issuedCookie = policy.KeyCase == ConsistentHashPolicy.KeyOneofCase.Cookie && policy.Cookie.HasTtlSeconds ? policy.Cookie : null;
    }

    public IHashTable Table => _table;

    public UpstreamEndpoint? Pick() => PickByHash((ulong)_random.NextInt64() ^ ((ulong)_random.Next() << 63));

    public UpstreamEndpoint? Pick(HttpContext context)
    {
        if (_key.TryHash(context, out var hash))
        {
            return PickByHash(hash);
        }

        return _issuedCookie is { } cookie ? PickByHash(IssueCookie(context, cookie)) : Pick();
    }

    /// <summary>The endpoint at the hash's position, or the first one after it that is not ejected.</summary>
    public UpstreamEndpoint? PickByHash(ulong hash)
    {
        var size = _table.Size;
        if (size == 0)
        {
            return null;
        }

        var position = _table.Position(hash);
        for (var i = 0; i < size; i++)
        {
            var endpoint = _table.At((position + i) % size);
            if (!endpoint.IsEjected)
            {
                return endpoint;
            }
        }

        return null;
    }

    /// <summary>Adds "Set-Cookie: name="value"; Max-Age=ttl; Path=path[; attributes]; HttpOnly" (as Envoy does) and returns the
    /// hash of the issued value. Only a client without the cookie pays for the string.</summary>
    private ulong IssueCookie(HttpContext context, ConsistentHashCookie cookie)
    {
        var value = ((ulong)_random.NextInt64()).ToString("x16", CultureInfo.InvariantCulture);
        var header = cookie.Name + "=\"" + value + "\"";
        if (cookie.TtlSeconds > 0)
        {
            header += "; Max-Age=" + cookie.TtlSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (cookie.Path.Length > 0)
        {
            header += "; Path=" + cookie.Path;
        }

        foreach (var attribute in cookie.Attributes)
        {
            header += "; " + attribute;
        }

        context.Response.Headers.Append("Set-Cookie", header + "; HttpOnly");
        return StableHash.Of(value);
    }
}
