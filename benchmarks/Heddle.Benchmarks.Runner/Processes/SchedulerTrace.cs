using System.Globalization;

namespace Heddle.Benchmarks.Runner.Processes;

/// <summary>
/// <c>--trace-scheduler</c>: every scheduler switch and wake-up of the whole machine over one constant-rate window
/// (<c>perf record -a</c>), and the processes that played each role, so that a slow burst can be taken apart afterwards:
/// who ran, who waited for a core and for how long. Read it with
/// <c>perf script -i scheduler.data -F comm,pid,tid,cpu,time,event,trace</c>.
/// </summary>
internal sealed class SchedulerTrace
{
    public const string DataFile = "scheduler.data";

    /// <summary>One line per process: its pid and its role in the case ("client sidecar", "upstream", ...).</summary>
    public const string ProcessesFile = "processes.txt";

    private readonly Task<CommandResult> _perf;
    private readonly string _directory;

    private SchedulerTrace(Task<CommandResult> perf, string directory)
    {
        _perf = perf;
        _directory = directory;
    }

    /// <summary>Starts recording for <paramref name="window"/>.</summary>
    public static SchedulerTrace Start(string perf, string directory, TimeSpan window, CancellationToken cancellationToken)
    {
        string seconds = window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        string[] arguments = ["record", "-q", "-a", "-e", "sched:sched_switch", "-e", "sched:sched_wakeup", "-o", Path.Combine(directory, DataFile), "--", "sleep", seconds];
        return new SchedulerTrace(ProcessRunner.RunAsync(perf, arguments, window + TimeSpan.FromSeconds(60), cancellationToken), directory);
    }

    /// <summary>Waits for the recording to end and writes which process played which role.</summary>
    public async Task FinishAsync(IEnumerable<MeasuredProcess> measured)
    {
        CommandResult result = await _perf.ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"perf record exited with {result.ExitCode}: {TextTail.LastLines(result.Output, 5)}");
        }

        await File.WriteAllLinesAsync(
            Path.Combine(_directory, ProcessesFile),
            measured.SelectMany(process => process.Pids().Select(pid => $"{pid} {process.Role}"))).ConfigureAwait(false);
    }
}
