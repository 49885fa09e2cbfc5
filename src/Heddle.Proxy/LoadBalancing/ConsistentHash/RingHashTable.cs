using System.Globalization;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing.ConsistentHash;

/// <summary>Ketama-style ring hash (Envoy's RING_HASH): every endpoint owns ring size ÷ endpoints points at the hashes
/// of "address:port_i"; a key goes to the first point at or after its hash. Adding or removing an endpoint moves only
/// the keys of the points it gains or loses.</summary>
internal sealed class RingHashTable : IHashTable
{
    /// <summary>Envoy's maximum ring size.</summary>
    public const int MaximumRingSize = 8 * 1024 * 1024;

    private readonly ulong[] _points;
    private readonly UpstreamEndpoint[] _owners;

    public RingHashTable(UpstreamEndpoint[] endpoints, ulong minimumRingSize)
    {
        if (endpoints.Length == 0)
        {
            _points = [];
            _owners = [];
            return;
        }

        var ringSize = (int)Math.Clamp(minimumRingSize, 1, MaximumRingSize);
        var perEndpoint = Math.Max(1, (ringSize + endpoints.Length - 1) / endpoints.Length);
        _points = new ulong[perEndpoint * endpoints.Length];
        _owners = new UpstreamEndpoint[_points.Length];
        var next = 0;
        foreach (var endpoint in endpoints)
        {
            var name = UpstreamEndpoint.FormatHostPort(endpoint.Address, endpoint.Port) + "_";
            for (var i = 0; i < perEndpoint; i++)
            {
                _points[next] = StableHash.Of(name + i.ToString(CultureInfo.InvariantCulture));
                _owners[next] = endpoint;
                next++;
            }
        }

        Array.Sort(_points, _owners);
    }

    public int Size => _points.Length;

    public int Position(ulong hash)
    {
        var index = Array.BinarySearch(_points, hash);
        if (index < 0)
        {
            index = ~index;
        }

        return index == _points.Length ? 0 : index;
    }

    public UpstreamEndpoint At(int position) => _owners[position];
}
