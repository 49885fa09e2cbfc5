using System.Threading.Tasks.Sources;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// One direction (read or write) of a <see cref="LoopSocket"/>: whether the kernel may have more for it, and the one
/// operation waiting until it does. The event loop counts edge-triggered events; an operation that saw the socket
/// drained (EAGAIN, or a read shorter than its buffer) records the count it saw, and the direction is ready again as
/// soon as a later event arrives. So a drained socket costs no speculative system call before it is waited on.
/// </summary>
internal sealed class Readiness : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core; // continuations run inline, on the thread that signals
    private int _events = 1; // ready until the first operation finds it drained
    private int _drainedAt;
    private int _waiting;
    private volatile bool _ended;
    private CancellationTokenRegistration _cancellation;

    /// <summary>The event count, read before a system call: pass it to <see cref="Drained"/> when the call finds nothing.</summary>
    public int Observe() => Volatile.Read(ref _events);

    /// <summary>Ready: an event arrived since the socket was last found drained, or the peer's end or an error was seen
    /// (those stay readable: a short read may have taken the last bytes while the end is still to be read).</summary>
    public bool IsReady => _ended || Volatile.Read(ref _events) != _drainedAt;

    /// <summary>The kernel had nothing more as of <paramref name="observed"/> events.</summary>
    public void Drained(int observed) => _drainedAt = observed;

    /// <summary>Completes when an event arrives after the socket was last found drained (at once if one has).</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (IsReady)
        {
            return default;
        }

        cancellationToken.ThrowIfCancellationRequested();
        _core.Reset();
        if (cancellationToken.CanBeCanceled)
        {
            // Registered before the wait is published, so a cancellation is never missed nor left registered.
            _cancellation = cancellationToken.UnsafeRegister(static state => ((Readiness)state!).Cancel(), this);
        }

        // A full fence (not a release store): the re-check below must not read the event count before the loop can
        // see this wait, or an event landing in between would find no waiter and the wait would never end.
        Interlocked.Exchange(ref _waiting, 1);
        if ((IsReady || cancellationToken.IsCancellationRequested) && Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            var registration = _cancellation;
            _cancellation = default;
            registration.Unregister();
            cancellationToken.ThrowIfCancellationRequested();
            return default;
        }

        return new ValueTask(this, _core.Version);
    }

    /// <summary>The event loop saw the peer's end, a hang-up or an error: ready from now on.</summary>
    public void SignalEnd()
    {
        _ended = true;
        Signal();
    }

    /// <summary>The event loop saw this direction become ready (or the socket close).</summary>
    public void Signal()
    {
        Interlocked.Increment(ref _events);
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _core.SetResult(true);
        }
    }

    /// <summary>Wakes the waiting operation without an event (its owner decides why: a cancelled read or flush).</summary>
    public void Interrupt()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _core.SetResult(false);
        }
    }

    private void Cancel()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _core.SetException(new OperationCanceledException());
        }
    }

    void IValueTaskSource.GetResult(short token)
    {
        var registration = _cancellation;
        _cancellation = default;
        registration.Unregister();
        _core.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
