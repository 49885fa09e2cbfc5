namespace Heddle.Proxy.Sockets;

/// <summary>
/// Whether the event loop keeps looking for events, without waiting, after a pass: it does for a short spell after
/// each pass while a burst lasts, that is for a while after the loop woke from a long sleep. A lightly loaded sidecar's
/// events come in bursts (the requests of a tick, then the next hop's answers, tens of microseconds apart), and a
/// thread that sleeps between two of them waits for the kernel to wake it, which on a small or virtual machine often
/// means waiting for a halted or busy core. Between looks the loop yields its core (<c>sched_yield</c>), so any other
/// thread that is ready runs first. A busy loop never sleeps long, so it never looks without waiting: at full load
/// the looks would only take CPU from the other processes.
/// </summary>
internal sealed class BusySpell(TimeProvider time, TimeSpan length, TimeSpan longSleep, TimeSpan burst)
{
    /// <summary>The loop's spell: 50 µs after each pass, during the 5 ms after a sleep of at least 1 ms
    /// (benchmarks/performance-notes.md, "Looking before sleeping").</summary>
    public static BusySpell ForLoop() =>
        new(TimeProvider.System, TimeSpan.FromMicroseconds(50), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));

    private readonly long _length = Ticks(time, length);
    private readonly long _longSleep = Ticks(time, longSleep);
    private readonly long _burst = Ticks(time, burst);
    private long _sleptAt;
    private long _burstUntil;
    private long _until;

    /// <summary>The loop is about to sleep until the next event.</summary>
    public void Sleeping() => _sleptAt = time.GetTimestamp();

    /// <summary>The loop woke from its sleep: after a long one, a burst starts.</summary>
    public void Woke()
    {
        var now = time.GetTimestamp();
        if (now - _sleptAt >= _longSleep)
        {
            _burstUntil = now + _burst;
        }
    }

    /// <summary>A pass ended: during a burst, a spell starts.</summary>
    public void PassEnded()
    {
        var now = time.GetTimestamp();
        _until = now < _burstUntil ? now + _length : 0;
    }

    /// <summary>Whether the loop should look again without waiting.</summary>
    public bool Lasts => _until != 0 && time.GetTimestamp() < _until;

    private static long Ticks(TimeProvider time, TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);
}
