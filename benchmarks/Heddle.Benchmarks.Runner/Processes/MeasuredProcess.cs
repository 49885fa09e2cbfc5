namespace Heddle.Benchmarks.Runner.Processes;

/// <summary>The summed counters of a process and its descendants at one instant.</summary>
internal readonly record struct TreeSample(long CpuTicks, long PeakRssKb, long RssKb, int Threads, int Processes, DateTimeOffset At)
{
    public double CpuSeconds => (double)CpuTicks / Native.ClockTicksPerSecond;
}

/// <summary>A proxy (or the upstream, or Heddle's control plane) whose CPU and memory the runner reports: a root pid
/// plus everything it forked.</summary>
/// <remarks>
/// nginx runs a master and one worker: both are counted, so that every proxy is charged for all of its processes.
/// Peak RSS is the sum of each process's VmHWM: an upper bound, since pages shared between them count twice.
/// </remarks>
/// <param name="withDescendants">False for a process whose children are measured on their own (<c>heddle up</c>, the
/// parent of every sidecar).</param>
internal sealed class MeasuredProcess(string role, string name, int rootPid, bool withDescendants = true)
{
    public string Role { get; } = role;

    public string Name { get; } = name;

    public int RootPid { get; } = rootPid;

    public bool IsAlive => ProcFs.IsAlive(RootPid);

    /// <summary>The root and, unless measured on their own, everything it forked (as of now).</summary>
    public IEnumerable<int> Pids() => withDescendants ? [RootPid, .. ProcFs.Descendants(RootPid)] : [RootPid];

    public TreeSample Sample()
    {
        long ticks = 0, peak = 0, rss = 0;
        int threads = 0, processes = 0;
        foreach (int pid in Pids())
        {
            if (ProcFs.TryRead(pid) is { } sample)
            {
                ticks += sample.CpuTicks;
                peak += sample.PeakRssKb;
                rss += sample.RssKb;
                threads += sample.Threads;
                processes++;
            }
        }

        return new TreeSample(ticks, peak, rss, threads, processes, DateTimeOffset.UtcNow);
    }
}
