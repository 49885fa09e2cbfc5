using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.LoadBalancing;

/// <summary>Endpoint weights (WorkloadEntry <c>weight</c>, ServiceEntry endpoint <c>weight</c>) as tables built once per
/// snapshot, so that a weighted pick is a lookup without allocation.</summary>
internal static class EndpointWeights
{
    /// <summary>The longest weighted round-robin schedule; larger weight sums are scaled down to it.</summary>
    private const int MaxSchedule = 10_000;

    /// <summary>Whether every endpoint has the same weight (0 counts as 1): the unweighted policies then apply.</summary>
    public static bool AllEqual(UpstreamEndpoint[] endpoints)
    {
        for (var i = 1; i < endpoints.Length; i++)
        {
            if (Of(endpoints[i]) != Of(endpoints[0]))
            {
                return false;
            }
        }

        return true;
    }

    public static uint Of(UpstreamEndpoint endpoint) => Math.Max(endpoint.Weight, 1u);

    /// <summary>Running sums of the weights: endpoint i owns [cumulative[i-1], cumulative[i]).</summary>
    public static long[] Cumulative(UpstreamEndpoint[] endpoints)
    {
        var cumulative = new long[endpoints.Length];
        long total = 0;
        for (var i = 0; i < endpoints.Length; i++)
        {
            total += Of(endpoints[i]);
            cumulative[i] = total;
        }

        return cumulative;
    }

    /// <summary>The endpoint index a point in [0, total) falls on.</summary>
    public static int Find(long[] cumulative, long point)
    {
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (point < cumulative[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>
    /// A smooth weighted round-robin order (each endpoint appears in proportion to its weight, spread out rather than
    /// in runs): at every step each endpoint gains its weight, the one with the most credit is taken and pays the total.
    /// </summary>
    public static int[] Schedule(UpstreamEndpoint[] endpoints)
    {
        var weights = new long[endpoints.Length];
        long total = 0;
        for (var i = 0; i < endpoints.Length; i++)
        {
            weights[i] = Of(endpoints[i]);
            total += weights[i];
        }

        var divisor = weights[0];
        foreach (var weight in weights)
        {
            divisor = Gcd(divisor, weight);
        }

        total = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= divisor;
            total += weights[i];
        }

        if (total > MaxSchedule)
        {
            var scaled = 0L;
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = Math.Max(1, weights[i] * MaxSchedule / total);
                scaled += weights[i];
            }

            total = scaled;
        }

        var schedule = new int[total];
        var credit = new long[weights.Length];
        for (var step = 0; step < schedule.Length; step++)
        {
            var best = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                credit[i] += weights[i];
                if (credit[i] > credit[best])
                {
                    best = i;
                }
            }

            credit[best] -= total;
            schedule[step] = best;
        }

        return schedule;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
