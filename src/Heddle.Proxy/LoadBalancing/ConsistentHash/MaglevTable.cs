using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing.ConsistentHash;

/// <summary>Maglev hashing (Envoy's MAGLEV, after Google's paper): a lookup table of a prime size that every endpoint
/// fills by its own permutation in turn, so that each endpoint owns an equal share of entries and a change of the
/// endpoint set moves few of them. A key goes to the entry at hash mod size.</summary>
internal sealed class MaglevTable : IHashTable
{
    private readonly UpstreamEndpoint[] _entries;

    public MaglevTable(UpstreamEndpoint[] endpoints, ulong tableSize)
    {
        if (endpoints.Length == 0)
        {
            _entries = [];
            return;
        }

        // The permutations cover the table only when its size is prime.
        var size = NextPrime((long)Math.Clamp(tableSize, 2UL, 5_000_011UL));
        var offsets = new long[endpoints.Length];
        var skips = new long[endpoints.Length];
        var next = new long[endpoints.Length];
        for (var i = 0; i < endpoints.Length; i++)
        {
            var name = UpstreamEndpoint.FormatHostPort(endpoints[i].Address, endpoints[i].Port);
            var hash = StableHash.Of(name);
            offsets[i] = (long)(hash % (ulong)size);
            skips[i] = (long)(StableHash.Mix(hash ^ 0x9e3779b97f4a7c15) % (ulong)(size - 1)) + 1;
        }

        _entries = new UpstreamEndpoint[size];
        var filled = 0L;
        while (true)
        {
            for (var i = 0; i < endpoints.Length; i++)
            {
                var slot = (offsets[i] + (next[i] * skips[i])) % size;
                while (_entries[slot] is not null)
                {
                    next[i]++;
                    slot = (offsets[i] + (next[i] * skips[i])) % size;
                }

                _entries[slot] = endpoints[i];
                next[i]++;
                if (++filled == size)
                {
                    return;
                }
            }
        }
    }

    public int Size => _entries.Length;

    public int Position(ulong hash) => (int)(hash % (ulong)_entries.Length);

    public UpstreamEndpoint At(int position) => _entries[position];

    internal static long NextPrime(long value)
    {
        for (var candidate = Math.Max(2, value); ; candidate++)
        {
            if (IsPrime(candidate))
            {
                return candidate;
            }
        }
    }

    private static bool IsPrime(long value)
    {
        if (value < 4)
        {
            return value >= 2;
        }

        if (value % 2 == 0)
        {
            return false;
        }

        for (long divisor = 3; divisor * divisor <= value; divisor += 2)
        {
            if (value % divisor == 0)
            {
                return false;
            }
        }

        return true;
    }
}
