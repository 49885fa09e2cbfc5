namespace Heddle.Proxy.Sockets;

/// <summary>
/// How long the event loop keeps looking for events, without waiting, after a pass that handled some: a sidecar's
/// events come in bunches (a burst of requests, then their responses from the next hop), and a thread that went to
/// sleep between two of them waits for the kernel to wake it, which on a small or virtual machine often means waiting
/// for a core that is halted or busy. Between looks the loop yields its core (<c>sched_yield</c>), so any other thread
/// that is ready runs first; when the spell ends without an event the loop sleeps until the next one.
/// </summary>
internal sealed class BusySpell(TimeProvider time, TimeSpan length)
{
    /// <summary>The loop's spell: long enough to cover the gaps inside a burst at 1,000 requests/s, short enough that a
    /// sidecar at rest spends nothing (benchmarks/performance-notes.md, "Looking before sleeping").</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMicroseconds(50);

    private readonly long _lengthTicks = (long)(length.TotalSeconds * time.TimestampFrequency);
    private long _until;

    /// <summary>Starts a spell now (after a pass that handled events).</summary>
    public void Start() => _until = time.GetTimestamp() + _lengthTicks;

    /// <summary>Whether the loop should look again without waiting.</summary>
    public bool Lasts => time.GetTimestamp() < _until;
}
