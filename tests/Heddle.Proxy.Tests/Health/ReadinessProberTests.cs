using Heddle.Discovery.V1;
using Heddle.Proxy.Health;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Proxy.Tests.Health;

public sealed class ReadinessProberTests
{
    /// <summary>A probe whose answers the test scripts; on each check it records the health the previous checks led to.</summary>
    private sealed class ScriptedProbe(AppHealth health, params bool[] answers) : IReadinessProbe
    {
        private readonly List<WorkloadHealth> _seen = [];

        public IReadOnlyList<WorkloadHealth> HealthBeforeEachCheck
        {
            get
            {
                lock (_seen)
                {
                    return _seen.ToArray();
                }
            }
        }

        public ValueTask<bool> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            int index;
            lock (_seen)
            {
                index = _seen.Count;
                _seen.Add(health.Current);
            }

            return ValueTask.FromResult(answers[Math.Min(index, answers.Length - 1)]);
        }
    }

    [Fact]
    public async Task Prober_HealthyAfterOneSuccess_UnhealthyOnlyAfterThreeFailuresInARow()
    {
        var time = new FakeTimeProvider();
        var health = new AppHealth(hasProbe: true);
        var probe = new ScriptedProbe(health, false, true, false, false, true, false, false, false, true);
        using var stop = new CancellationTokenSource();
        var running = new ReadinessProber(probe, health, time, NullLogger.Instance).RunAsync(stop.Token);

        for (var check = 1; check <= 8; check++)
        {
            await Eventually.WaitAsync(() => probe.HealthBeforeEachCheck.Count == check, $"check {check}");
            time.Advance(ReadinessProber.Period);
        }

        await Eventually.WaitAsync(() => probe.HealthBeforeEachCheck.Count == 9, "check 9");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(
            [WorkloadHealth.Unknown, WorkloadHealth.Unhealthy, WorkloadHealth.Healthy, WorkloadHealth.Healthy, WorkloadHealth.Healthy,
             WorkloadHealth.Healthy, WorkloadHealth.Healthy, WorkloadHealth.Healthy, WorkloadHealth.Unhealthy],
            probe.HealthBeforeEachCheck);
    }

    [Fact]
    public async Task AppHealth_WhenChanged_CompletesOnChangeOnly()
    {
        var health = new AppHealth(hasProbe: true);
        var changed = health.WhenChanged;

        health.Set(WorkloadHealth.Unknown);
        Assert.False(changed.IsCompleted);
        health.Set(WorkloadHealth.Healthy);

        await changed;
        Assert.False(health.WhenChanged.IsCompleted);
        Assert.True(new AppHealth(hasProbe: false).IsHealthy);
    }
}
