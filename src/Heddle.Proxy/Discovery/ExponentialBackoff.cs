namespace Heddle.Proxy.Discovery;

/// <summary>
/// Delays between reconnection attempts: doubling from <c>initial</c> up to <c>max</c>, each delay drawn from the
/// upper half of its window ("equal jitter") so that proxies restarted together do not reconnect in lockstep.
/// </summary>
internal sealed class ExponentialBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private int _attempt;

    public ExponentialBackoff(TimeSpan initial, TimeSpan max, Random random)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), "backoff needs 0 < initial <= max");
        }

        _initial = initial;
        _max = max;
        _random = random;
    }

    public int Attempt => _attempt;

    /// <summary>The next delay; the window doubles with each call until it reaches the maximum.</summary>
    public TimeSpan Next()
    {
        var ceiling = _initial.Ticks * Math.Pow(2, Math.Min(_attempt, 30));
        var window = (long)Math.Min(ceiling, _max.Ticks);
        _attempt++;
        var half = window / 2;
        return TimeSpan.FromTicks(half + (long)(_random.NextDouble() * (window - half)));
    }

    /// <summary>Starts over from the initial delay, after a connection that worked.</summary>
    public void Reset() => _attempt = 0;
}
