namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>
/// A Prometheus histogram as plain counters: one per bucket (not cumulative; the exposition adds them up), a count and a
/// sum, each updated with one interlocked add.
/// </summary>
internal sealed class Histogram
{
    /// <summary>
    /// Istio's buckets (Envoy's defaults), used for durations in milliseconds and for sizes in bytes alike:
    /// 0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000.
    /// </summary>
    public static readonly double[] Bounds =
        [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    private readonly long[] _buckets = new long[Bounds.Length + 1];
    private long _count;
    private long _sum;

    public long Count => Volatile.Read(ref _count);

    /// <summary>The sum in the unit <see cref="Observe"/> was given, scaled by <c>sumScale</c> there.</summary>
    public long Sum => Volatile.Read(ref _sum);

    /// <summary>Records <paramref name="value"/>; <paramref name="scaledValue"/> is what the sum accumulates (e.g. microseconds for milliseconds).</summary>
    public void Observe(double value, long scaledValue)
    {
        var bounds = Bounds;
        var i = 0;
        while (i < bounds.Length && value > bounds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _buckets[i]);
        Interlocked.Add(ref _sum, scaledValue);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The count of the bucket <paramref name="index"/> alone (index <c>Bounds.Length</c> is above the last bound).</summary>
    public long Bucket(int index) => Volatile.Read(ref _buckets[index]);
}
