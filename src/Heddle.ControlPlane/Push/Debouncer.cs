namespace Heddle.ControlPlane.Push;

/// <summary>Coalesces a burst of change signals into one call of an action: it runs once the signals have been
/// quiet for <c>quiet</c>, and at the latest <c>max</c> after the first signal of the burst.</summary>
/// <remarks>Calls of the action never overlap: a burst that ends while the action runs is delivered after it returns.</remarks>
public sealed class Debouncer : IDisposable
{
    private readonly TimeSpan _quiet;
    private readonly TimeSpan _max;
    private readonly TimeProvider _time;
    private readonly Action _action;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private bool _pending;
    private long _firstSignal;
    private long _lastSignal;
    private bool _running;
    private bool _disposed;

    public Debouncer(TimeSpan quiet, TimeSpan max, TimeProvider time, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quiet, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, quiet);
        _quiet = quiet;
        _max = max;
        _time = time;
        _action = action;
        _timer = time.CreateTimer(static state => ((Debouncer)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Records a change; the action runs once the burst this change belongs to is over.</summary>
    public void Signal()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var now = _time.GetTimestamp();
            if (!_pending)
            {
                _pending = true;
                _firstSignal = now;
            }

            _lastSignal = now;
            if (!_running)
            {
                _timer.Change(DueIn(now), Timeout.InfiniteTimeSpan);
            }
        }
    }

    private TimeSpan DueIn(long now)
    {
        var sinceFirst = _time.GetElapsedTime(_firstSignal, now);
        var sinceLast = _time.GetElapsedTime(_lastSignal, now);
        var due = Min(_quiet - sinceLast, _max - sinceFirst);
        return due < TimeSpan.Zero ? TimeSpan.Zero : due;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void OnTimer()
    {
        lock (_lock)
        {
            if (_disposed || !_pending || _running)
            {
                return;
            }

            var due = DueIn(_time.GetTimestamp());
            if (due > TimeSpan.Zero)
            {
                _timer.Change(due, Timeout.InfiniteTimeSpan);
                return;
            }

            _pending = false;
            _running = true;
        }

        try
        {
            _action();
        }
        finally
        {
            lock (_lock)
            {
                _running = false;
                if (_pending && !_disposed)
                {
                    _timer.Change(DueIn(_time.GetTimestamp()), Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }
}
