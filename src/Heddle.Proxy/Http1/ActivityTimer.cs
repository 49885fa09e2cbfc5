namespace Heddle.Proxy.Http1;

/// <summary>
/// The upstream activity timeout of one downstream connection's requests: armed before each upstream read or write,
/// disarmed after, so a next hop that moves no bytes for that long is abandoned (504 UT), as the general path's
/// forwarder does. One per connection; a new token source is made only after one expired.
/// </summary>
internal sealed class ActivityTimer(TimeProvider timeProvider) : IDisposable
{
    private CancellationTokenSource _source = new(Timeout.InfiniteTimeSpan, timeProvider);
    private long _deadline;

    public bool Expired => _source.IsCancellationRequested;

    /// <summary>The request's route timeout has run out (504 UT, no further try).</summary>
    public bool DeadlinePassed => _deadline != 0 && Remaining <= TimeSpan.Zero;

    /// <summary>Time left before the route timeout; <see cref="Timeout.InfiniteTimeSpan"/> without one.</summary>
    public TimeSpan Remaining => _deadline == 0
        ? Timeout.InfiniteTimeSpan
        : TimeSpan.FromTicks(Math.Max(0, (long)((_deadline - timeProvider.GetTimestamp()) * ((double)TimeSpan.TicksPerSecond / timeProvider.TimestampFrequency))));

    /// <summary>Bounds every wait of the current request by the route timeout (zero: none).</summary>
    public void SetRouteTimeout(TimeSpan timeout) =>
        _deadline = timeout > TimeSpan.Zero
            ? timeProvider.GetTimestamp() + (long)(timeout.TotalSeconds * timeProvider.TimestampFrequency)
            : 0;

    /// <summary>Arms the timer (at most until the route timeout); the token is cancelled when it runs out before
    /// <see cref="Stop"/>.</summary>
    public CancellationToken Start(TimeSpan timeout)
    {
        if (_source.IsCancellationRequested)
        {
            _source.Dispose();
            _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        }

        if (_deadline != 0)
        {
            var remaining = Remaining;
            if (timeout == Timeout.InfiniteTimeSpan || remaining < timeout)
            {
                timeout = remaining;
            }
        }

        if (timeout <= TimeSpan.Zero)
        {
            _source.Cancel();
        }
        else
        {
            _source.CancelAfter(timeout);
        }

        return _source.Token;
    }

    public void Stop() => _source.CancelAfter(Timeout.InfiniteTimeSpan);

    public void Dispose() => _source.Dispose();
}
