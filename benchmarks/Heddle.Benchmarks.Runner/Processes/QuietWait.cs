namespace Heddle.Benchmarks.Runner.Processes;

/// <summary>
/// Decides, from readings of the CPU time that some processes have used so far, when they have gone quiet: no more
/// than <see cref="MaxShareOfCore"/> of one core in each of the last <see cref="QuietReadings"/> intervals.
/// </summary>
/// <remarks>
/// A .NET process such as Heddle's control plane keeps compiling code as it first runs for some seconds after it is
/// ready. The runner waits for that to end before a case's warm-up, so that the window measures the mesh as
/// it runs for hours, not its first seconds; the control plane's CPU during the window is still reported.
/// </remarks>
internal sealed class QuietWait
{
    public const double MaxShareOfCore = 0.02;
    public const int QuietReadings = 3;

    private double? _lastCpuSeconds;
    private DateTimeOffset _lastAt;
    private int _quietInARow;

    /// <summary>Takes the processes' total CPU seconds at <paramref name="at"/>; true once they have been quiet long
    /// enough.</summary>
    public bool Observe(double cpuSeconds, DateTimeOffset at)
    {
        if (_lastCpuSeconds is { } last)
        {
            double seconds = (at - _lastAt).TotalSeconds;
            // CPU time comes in clock ticks (10 ms): a tolerance far below one keeps 20 ms over 1 s at 2%.
            bool quiet = seconds > 0 && cpuSeconds - last <= MaxShareOfCore * seconds + 1e-9;
            _quietInARow = quiet ? _quietInARow + 1 : 0;
        }

        _lastCpuSeconds = cpuSeconds;
        _lastAt = at;
        return _quietInARow >= QuietReadings;
    }

    /// <summary>Reads the processes once a second until they are quiet (the time it took) or <paramref name="limit"/>
    /// passed (null).</summary>
    public static async Task<TimeSpan?> WaitAsync(IReadOnlyList<MeasuredProcess> processes, TimeSpan limit, CancellationToken cancellationToken)
    {
        var wait = new QuietWait();
        DateTimeOffset started = DateTimeOffset.UtcNow;
        while (true)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            if (wait.Observe(processes.Sum(p => p.Sample().CpuSeconds), now))
            {
                return now - started;
            }

            if (now - started >= limit)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }
}
