using System.Globalization;

namespace Heddle.Proxy.Routing;

/// <summary>
/// Finds the virtual host for a request's authority. Domains are "host:port"; the table is built once per snapshot
/// and looked up with spans, so the request path allocates nothing even when it has to add the default port.
/// </summary>
internal sealed class RouteTable
{
    private const int MaxStackAuthority = 256;

    private readonly Dictionary<string, CompiledVirtualHost> _byDomain;
    private readonly Dictionary<string, CompiledVirtualHost>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public RouteTable(CompiledVirtualHost[] virtualHosts, Dictionary<string, CompiledVirtualHost> byDomain)
    {
        VirtualHosts = virtualHosts;
        _byDomain = byDomain;
        _lookup = byDomain.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static RouteTable Empty { get; } = new([], new Dictionary<string, CompiledVirtualHost>(StringComparer.OrdinalIgnoreCase));

    public CompiledVirtualHost[] VirtualHosts { get; }

    public int DomainCount => _byDomain.Count;

    /// <summary>The virtual host for "host[:port]"; a missing port is <paramref name="defaultPort"/>.</summary>
    public CompiledVirtualHost? Find(ReadOnlySpan<char> authority, int defaultPort)
    {
        if (authority.IsEmpty)
        {
            return null;
        }

        if (HasPort(authority))
        {
            return _lookup.TryGetValue(authority, out var found) ? found : null;
        }

        if (authority.Length > MaxStackAuthority)
        {
            return null;
        }

        Span<char> key = stackalloc char[authority.Length + 6];
        authority.CopyTo(key);
        key[authority.Length] = ':';
        if (!defaultPort.TryFormat(key[(authority.Length + 1)..], out var written, default, CultureInfo.InvariantCulture))
        {
            return null;
        }

        return _lookup.TryGetValue(key[..(authority.Length + 1 + written)], out var withPort) ? withPort : null;
    }

    /// <summary>Whether "host:port", "[v6]:port" carries a port (a bare IPv6 literal in brackets does not).</summary>
    public static bool HasPort(ReadOnlySpan<char> authority)
    {
        if (authority.Length > 0 && authority[0] == '[')
        {
            var close = authority.IndexOf(']');
            return close > 0 && close + 1 < authority.Length && authority[close + 1] == ':';
        }

        return authority.IndexOf(':') >= 0;
    }
}
