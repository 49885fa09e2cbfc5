namespace Heddle.Proxy.LoadBalancing.ConsistentHash;

/// <summary>A 64-bit hash that is the same in every process and on every machine (unlike string.GetHashCode), so that
/// all sidecars send one key to the same endpoint: FNV-1a over the input, then MurmurHash3's finalizer to spread
/// the bits over the whole range.</summary>
internal static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = OffsetBasis;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }

        return Mix(hash);
    }

    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var hash = OffsetBasis;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return Mix(hash);
    }

    public static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccd;
        value ^= value >> 33;
        value *= 0xc4ceb9fe1a85ec53;
        value ^= value >> 33;
        return value;
    }
}
