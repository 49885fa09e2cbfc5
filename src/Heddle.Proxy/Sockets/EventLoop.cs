using System.Runtime.InteropServices;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// One thread that waits on an edge-triggered epoll set and signals the sockets registered with it, like an nginx
/// worker. A socket operation runs its system call on the thread that starts it; when the kernel has nothing for it,
/// the operation waits here and its continuation then runs on this thread, inline. So a sidecar's downstream and
/// upstream sockets are served by one thread, without the hand-over between socket threads and with no speculative
/// system call on a socket already found drained (see <see cref="Readiness"/>).
/// </summary>
internal sealed unsafe class EventLoop
{
    private const int MaxEvents = 256;

    /// <summary>How many times in a row the loop looks for more ready events before it runs deferred work.</summary>
    private const int MaxGather = 4;

    /// <summary>Events past which the loop stops looking and runs deferred work, so a busy loop does not hold a flush
    /// back for long.</summary>
    private const int MaxGatheredEvents = 128;

    private static readonly Lazy<EventLoop> SharedLoop = new(() => new EventLoop("heddle-event-loop", BusySpell.ForLoop()));

    private readonly int _epoll;
    private readonly BusySpell _spell;
    private readonly Lock _growth = new();
    private LoopSocket?[] _sockets = new LoopSocket?[1024];
    private readonly List<IAfterEvents> _afterEvents = [];

    [ThreadStatic]
    private static EventLoop? t_running;

    private EventLoop(string name, BusySpell spell)
    {
        _spell = spell;
        _epoll = Libc.EpollCreate();
        if (_epoll < 0)
        {
            throw Libc.Error(Libc.LastError);
        }

        new Thread(Run) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>The process's loop, started on first use.</summary>
    public static EventLoop Shared => SharedLoop.Value;

    /// <summary>Whether the proxy serves its listeners and lean upstream connections on the loop (<c>HEDDLE_EVENT_LOOP=0</c>:
    /// on .NET's socket threads instead).</summary>
    public static bool Enabled { get; } = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("HEDDLE_EVENT_LOOP") != "0";

    /// <summary>
    /// On the loop's thread: runs <paramref name="work"/> once the events of the current wait, and those that became ready
    /// while they were handled (up to <see cref="MaxGather"/> more looks and <see cref="MaxGatheredEvents"/> events), have
    /// all been handled, so that what their continuations wrote for one peer leaves in one system call. Elsewhere: false,
    /// and nothing is kept.
    /// </summary>
    public static bool TryRunAfterEvents(IAfterEvents work)
    {
        if (t_running is not { } loop)
        {
            return false;
        }

        loop._afterEvents.Add(work);
        return true;
    }

    /// <summary>Starts delivering the socket's readiness events to it.</summary>
    public void Register(LoopSocket socket)
    {
        var fd = socket.Fd;
        lock (_growth)
        {
            if (fd >= _sockets.Length)
            {
                var larger = new LoopSocket?[Math.Max(fd + 1, _sockets.Length * 2)];
                _sockets.CopyTo(larger, 0);
                Volatile.Write(ref _sockets, larger);
            }

            Volatile.Write(ref _sockets[fd], socket);
        }

        if (Libc.EpollAdd(_epoll, fd, Libc.EpollIn | Libc.EpollOut | Libc.EpollRdHup | Libc.EpollEt, (ulong)fd) != 0)
        {
            var error = Libc.LastError;
            Unregister(socket);
            throw Libc.Error(error);
        }
    }

    /// <summary>Stops delivering events to the socket (its descriptor is about to close; the kernel drops it from the set).</summary>
    public void Unregister(LoopSocket socket)
    {
        lock (_growth)
        {
            var sockets = _sockets;
            if (socket.Fd < sockets.Length)
            {
                Interlocked.CompareExchange(ref sockets[socket.Fd], null, socket);
            }
        }
    }

    private void Run()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * 16));
        t_running = this;
        var gathered = 0;
        var handled = 0;
        while (true)
        {
            var count = gathered > 0 ? Libc.EpollWait(_epoll, events, MaxEvents, 0) : Wait(events);
            if (count < 0)
            {
                if (Libc.LastError == Libc.EIntr)
                {
                    continue;
                }

                Environment.FailFast("heddle-proxy: epoll_wait failed with errno " + Libc.LastError);
            }

            var sockets = Volatile.Read(ref _sockets);
            for (var i = 0; i < count; i++)
            {
                var (flags, data) = Libc.EpollEventAt(events, i);
                var fd = (int)data;
                if (fd < sockets.Length && Volatile.Read(ref sockets[fd]) is { } socket)
                {
                    try
                    {
                        socket.OnEvents(flags);
                    }
                    catch (Exception e)
                    {
                        // A continuation that threw past its own handling: that connection's problem, not every other
                        // connection's. The loop keeps serving.
                        Console.Error.WriteLine("heddle-proxy: a socket continuation failed on the event loop: " + e);
                    }
                }
            }

            // Before deferred work runs (a link's flush), events that became ready meanwhile are handled, looking without
            // waiting: a request that arrived while this pass ran then leaves in the same send and TLS record.
            handled += count;
            if (count > 0 && _afterEvents.Count > 0 && gathered < MaxGather && handled < MaxGatheredEvents)
            {
                gathered++;
                continue;
            }

            gathered = 0;
            handled = 0;

            // Work deferred by the continuations above; it may defer more, which runs in the same pass.
            for (var i = 0; i < _afterEvents.Count; i++)
            {
                try
                {
                    _afterEvents[i].Run();
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine("heddle-proxy: deferred work failed on the event loop: " + e);
                }
            }

            _afterEvents.Clear();

            // In a burst more events are likely to follow soon (the rest of its requests, the next hop's answers): look
            // for them a while before sleeping.
            _spell.PassEnded();
        }
    }

    /// <summary>Waits for events: during the busy spell by looking again, yielding the core between looks; then asleep.</summary>
    private int Wait(byte* events)
    {
        while (_spell.Lasts)
        {
            var count = Libc.EpollWait(_epoll, events, MaxEvents, 0);
            if (count != 0)
            {
                return count;
            }

            Thread.Yield();
        }

        _spell.Sleeping();
        var woken = Libc.EpollWait(_epoll, events, MaxEvents, -1);
        _spell.Woke();
        return woken;
    }
}

/// <summary>Work that <see cref="EventLoop.TryRunAfterEvents"/> runs after the events of one wait.</summary>
internal interface IAfterEvents
{
    void Run();
}
