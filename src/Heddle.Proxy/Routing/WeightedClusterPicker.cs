using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Routing;

/// <summary>Chooses one of a route's clusters in proportion to its weight.</summary>
internal sealed class WeightedClusterPicker
{
    private readonly UpstreamCluster[] _clusters;
    private readonly int[] _cumulative;
    private readonly int _total;

    /// <param name="clusters">The route's destinations.</param>
    /// <param name="weights">Their weights; when all are zero every destination counts the same.</param>
    public WeightedClusterPicker(UpstreamCluster[] clusters, uint[] weights)
    {
        if (clusters.Length == 0 || clusters.Length != weights.Length)
        {
            throw new ArgumentException("a route needs one weight per cluster and at least one cluster", nameof(weights));
        }

        _clusters = clusters;
        _cumulative = new int[clusters.Length];
        var allZero = true;
        foreach (var weight in weights)
        {
            allZero &= weight == 0;
        }

        long total = 0;
        for (var i = 0; i < clusters.Length; i++)
        {
            total += allZero ? 1 : weights[i];
            _cumulative[i] = (int)Math.Min(total, int.MaxValue);
        }

        _total = _cumulative[^1];
    }

    private WeightedClusterPicker()
    {
        _clusters = [];
        _cumulative = [];
    }

    /// <summary>No destination: the route is answered by the proxy (redirect, direct response).</summary>
    public static WeightedClusterPicker None { get; } = new();

    public IReadOnlyList<UpstreamCluster> Clusters => _clusters;

    public int Count => _clusters.Length;

    /// <summary>The index of a cluster chosen in proportion to its weight.</summary>
    public int PickIndex(Random random)
    {
        var clusters = _clusters;
        if (clusters.Length == 1)
        {
            return 0;
        }

        var ticket = random.Next(_total);
        var cumulative = _cumulative;
        for (var i = 0; i < cumulative.Length; i++)
        {
            if (ticket < cumulative[i])
            {
                return i;
            }
        }

        return clusters.Length - 1;
    }

    public UpstreamCluster Pick(Random random) => _clusters[PickIndex(random)];
}
