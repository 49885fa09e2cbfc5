using System.Diagnostics;
using Heddle.Proxy.Lifetime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heddle.Proxy.Tests.Lifetime;

public sealed class ParentProcessWatcherTests
{
    [Fact]
    public async Task ParentExits_WatcherRequestsShutdown()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "300"))!;
        var exited = new TaskCompletionSource();
        var watcher = new ParentProcessWatcher(parent.Id, TimeProvider.System, () => exited.TrySetResult(), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watcher.RunAsync(stop.Token);

        Assert.True(ParentProcessWatcher.IsAlive(parent.Id));
        Assert.False(exited.Task.IsCompleted);
        parent.Kill();

        Assert.Same(exited.Task, await Task.WhenAny(exited.Task, Task.Delay(TimeSpan.FromSeconds(10))));
        await running;
    }

    [Fact]
    public void IsAlive_UnknownPid_IsFalse()
    {
        Assert.False(ParentProcessWatcher.IsAlive(int.MaxValue - 1));
    }
}
