using System.Collections.Concurrent;
using System.Net.Sockets;
using Heddle.Proxy.Sockets;
using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.Proxy.Tests.Sockets;

/// <summary>The event loop's deferred work against real kernel sockets on loopback. The loop is the process's one
/// loop, so these run alone: other tests' sockets would add events to the passes they observe.</summary>
[Collection(nameof(EventLoopTests))]
public sealed class EventLoopTests : IDisposable
{
    private readonly LoopSocketPairs _pairs = new();

    public void Dispose() => _pairs.Dispose();

    [Fact]
    public void TryRunAfterEvents_OffTheLoop_KeepsNothing()
    {
        var work = new Deferred(new ConcurrentQueue<string>(), "deferred");

        Assert.False(EventLoop.TryRunAfterEvents(work));
    }

    [Fact]
    public async Task DeferredWork_RunsAfterEventsThatBecameReadyWhileThePassRan()
    {
        var (first, firstPeer) = await _pairs.ConnectAsync();
        var (second, secondPeer) = await _pairs.ConnectAsync();
        using (first)
        using (firstPeer)
        using (second)
        using (secondPeer)
        {
            var order = new ConcurrentQueue<string>();
            var deferredAccepted = false;

            // The second socket's bytes arrive while the first socket's continuation runs on the loop, after the wait
            // that woke it returned: a later look finds them.
            OnTheLoop(second.ReceiveAsync(new byte[16], CancellationToken.None), () => order.Enqueue("second socket"));
            OnTheLoop(first.ReceiveAsync(new byte[16], CancellationToken.None), () =>
            {
                order.Enqueue("first socket");
                deferredAccepted = EventLoop.TryRunAfterEvents(new Deferred(order, "deferred"));
                secondPeer.Send("b"u8);
            });

            firstPeer.Send("a"u8);

            await Eventually.WaitAsync(() => order.Count == 3, "both sockets and the deferred work");
            Assert.True(deferredAccepted);
            Assert.Equal(["first socket", "second socket", "deferred"], order.ToArray());
        }
    }

    /// <summary>Runs <paramref name="action"/> where the receive completes: on the loop's thread, inline.</summary>
    private static void OnTheLoop(ValueTask<int> receive, Action action) =>
        _ = receive.AsTask().ContinueWith(_ => action(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private sealed class Deferred(ConcurrentQueue<string> order, string name) : IAfterEvents
    {
        public void Run() => order.Enqueue(name);
    }
}

[CollectionDefinition(nameof(EventLoopTests), DisableParallelization = true)]
public sealed class EventLoopTestsCollection;
