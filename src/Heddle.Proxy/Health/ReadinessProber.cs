using Heddle.Discovery.V1;
using Heddle.Proxy.Telemetry;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Health;

/// <summary>
/// Runs the application's readiness probe every period and records the result in <see cref="AppHealth"/>:
/// one success makes the application healthy, <see cref="FailureThreshold"/> failures in a row make it unhealthy
/// (the Kubernetes defaults).
/// </summary>
internal sealed class ReadinessProber(IReadinessProbe probe, AppHealth health, TimeProvider timeProvider, ILogger logger)
{
    public const int FailureThreshold = 3;

    public static TimeSpan Period { get; } = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        using var timer = timeProvider.CreatePeriodicTimer(Period);
        do
        {
            var ready = await probe.CheckAsync(Period, cancellationToken).ConfigureAwait(false);
            if (ready)
            {
                failures = 0;
                Set(WorkloadHealth.Healthy);
            }
            else if (++failures >= FailureThreshold || health.Current == WorkloadHealth.Unknown)
            {
                Set(WorkloadHealth.Unhealthy);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private void Set(WorkloadHealth value)
    {
        if (health.Current != value)
        {
            ProxyLog.AppHealthChanged(logger, value);
            health.Set(value);
        }
    }
}

internal static class TimeProviderExtensions
{
    public static PeriodicTimer CreatePeriodicTimer(this TimeProvider timeProvider, TimeSpan period) => new(period, timeProvider);
}
