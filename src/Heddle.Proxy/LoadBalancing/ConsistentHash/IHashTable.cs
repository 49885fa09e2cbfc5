using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing.ConsistentHash;

/// <summary>A consistent-hash lookup structure built once per cluster when the snapshot is applied: a hash maps to a
/// position, and positions after it are the fallbacks when its endpoint is ejected.</summary>
internal interface IHashTable
{
    /// <summary>Number of positions (0 when the cluster has no endpoint).</summary>
    int Size { get; }

    int Position(ulong hash);

    UpstreamEndpoint At(int position);
}
