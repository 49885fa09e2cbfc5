using Heddle.ControlPlane.Push;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.ControlPlane.Tests.Push;

public sealed class DebouncerTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(1);

    [Fact]
    public void Signal_Burst_PushesOnceAfterQuietPeriod()
    {
        var time = new FakeTimeProvider();
        var pushes = 0;
        using var debouncer = new Debouncer(Quiet, Max, time, () => pushes++);

        for (var i = 0; i < 5; i++)
        {
            debouncer.Signal();
            time.Advance(TimeSpan.FromMilliseconds(20));
        }

        // The last signal was 20 ms ago: 79 ms more is still inside the quiet period.
        time.Advance(TimeSpan.FromMilliseconds(79));
        Assert.Equal(0, pushes);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, pushes);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, pushes);
    }

    [Fact]
    public void Signal_ContinuousEvents_PushesAtMaxDelay()
    {
        var time = new FakeTimeProvider();
        var pushTimes = new List<TimeSpan>();
        var start = time.GetTimestamp();
        using var debouncer = new Debouncer(Quiet, Max, time, () => pushTimes.Add(time.GetElapsedTime(start)));

        // An event every 50 ms for 2.5 s: the quiet period never elapses.
        for (var i = 0; i < 50; i++)
        {
            debouncer.Signal();
            time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], pushTimes);
    }

    [Fact]
    public void Signal_NoEvents_NeverPushes()
    {
        var time = new FakeTimeProvider();
        var pushes = 0;
        using var debouncer = new Debouncer(Quiet, Max, time, () => pushes++);

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, pushes);
    }

    [Fact]
    public void Signal_TwoSeparateBursts_PushesTwice()
    {
        var time = new FakeTimeProvider();
        var pushes = 0;
        using var debouncer = new Debouncer(Quiet, Max, time, () => pushes++);

        debouncer.Signal();
        time.Advance(TimeSpan.FromMilliseconds(150));
        debouncer.Signal();
        debouncer.Signal();
        time.Advance(TimeSpan.FromMilliseconds(150));

        Assert.Equal(2, pushes);
    }

    [Fact]
    public void Signal_DuringPush_PushesAgainAfterItReturns()
    {
        var time = new FakeTimeProvider();
        var pushes = 0;
        Debouncer? debouncer = null;
        debouncer = new Debouncer(Quiet, Max, time, () =>
        {
            pushes++;
            if (pushes == 1)
            {
                debouncer!.Signal();
            }
        });
        using var _ = debouncer;

        debouncer.Signal();
        time.Advance(Quiet);
        Assert.Equal(1, pushes);

        time.Advance(Quiet);
        Assert.Equal(2, pushes);
    }

    [Fact]
    public void Dispose_PendingBurst_NeverPushes()
    {
        var time = new FakeTimeProvider();
        var pushes = 0;
        var debouncer = new Debouncer(Quiet, Max, time, () => pushes++);

        debouncer.Signal();
        debouncer.Dispose();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, pushes);
    }
}
