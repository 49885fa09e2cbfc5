using Heddle.Proxy.Discovery;

namespace Heddle.Proxy.Tests.Discovery;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void Next_DoublesWindowUpToMax_WithDelaysInUpperHalf()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(11));
        double[] windows = [100, 200, 400, 800, 1000, 1000, 1000];

        foreach (var window in windows)
        {
            var delay = backoff.Next().TotalMilliseconds;
            Assert.InRange(delay, window / 2, window);
        }
    }

    [Fact]
    public void Reset_StartsOverFromInitialDelay()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), new Random(2));
        for (var i = 0; i < 5; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }

    [Fact]
    public void Next_IsJittered()
    {
        var delays = Enumerable.Range(0, 20)
            .Select(seed => new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), new Random(seed)).Next())
            .Distinct()
            .Count();

        Assert.True(delays > 15);
    }
}
