namespace Heddle.Proxy.Http1;

/// <summary>
/// The upstream activity timeout of one downstream connection's requests: armed before each upstream read or write,
/// disarmed after, so a next hop that moves no bytes for that long is abandoned (504 UT), as the general path's
/// forwarder does. One per connection; a new token source is made only after one expired.
/// </summary>
internal sealed class ActivityTimer(TimeProvider timeProvider) : IDisposable
{
    private CancellationTokenSource _source = new(Timeout.InfiniteTimeSpan, timeProvider);

    public bool Expired => _source.IsCancellationRequested;

    /// <summary>Arms the timer; the token is cancelled when it runs out before <see cref="Stop"/>.</summary>
    public CancellationToken Start(TimeSpan timeout)
    {
        if (_source.IsCancellationRequested)
        {
            _source.Dispose();
            _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        }

        _source.CancelAfter(timeout);
        return _source.Token;
    }

    public void Stop() => _source.CancelAfter(Timeout.InfiniteTimeSpan);

    public void Dispose() => _source.Dispose();
}
