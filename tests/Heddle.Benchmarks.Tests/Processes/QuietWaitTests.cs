using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Tests.Processes;

/// <summary>When the runner judges a case's background processes (Heddle's control plane) quiet enough to measure.</summary>
public sealed class QuietWaitTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Quiet_AfterThreeIntervalsInARowOfAtMostTwoPercentOfACore()
    {
        var wait = new QuietWait();

        // CPU seconds used so far, read once a second: 150 ms, then 10, 20 and 10 ms per second.
        Assert.False(wait.Observe(1.00, Start));
        Assert.False(wait.Observe(1.15, Start.AddSeconds(1)));
        Assert.False(wait.Observe(1.16, Start.AddSeconds(2)));
        Assert.False(wait.Observe(1.18, Start.AddSeconds(3)));
        Assert.True(wait.Observe(1.19, Start.AddSeconds(4)));
    }

    [Fact]
    public void ABusyInterval_StartsTheCountAgain()
    {
        var wait = new QuietWait();

        Assert.False(wait.Observe(0.00, Start));
        Assert.False(wait.Observe(0.01, Start.AddSeconds(1)));
        Assert.False(wait.Observe(0.02, Start.AddSeconds(2)));
        Assert.False(wait.Observe(0.11, Start.AddSeconds(3))); // 90 ms: a burst of background compilation
        Assert.False(wait.Observe(0.12, Start.AddSeconds(4)));
        Assert.False(wait.Observe(0.13, Start.AddSeconds(5)));
        Assert.True(wait.Observe(0.14, Start.AddSeconds(6)));
    }

    [Fact]
    public void TheShareIsPerSecondOfTheInterval()
    {
        var wait = new QuietWait();

        // 30 ms over 2 s is 1.5% of a core: quiet, though more than 20 ms.
        Assert.False(wait.Observe(0.00, Start));
        Assert.False(wait.Observe(0.03, Start.AddSeconds(2)));
        Assert.False(wait.Observe(0.06, Start.AddSeconds(4)));
        Assert.True(wait.Observe(0.09, Start.AddSeconds(6)));
    }
}
