using System.ComponentModel;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// Keeps one process of the mesh running until it is told to stop: when the process exits on its own it is
/// restarted after a backoff that doubles from one second up to thirty (reset once a run lasted ten seconds),
/// the way Kubernetes restarts a crashing container.
/// </summary>
internal sealed class SupervisedProcess
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableRun = TimeSpan.FromSeconds(10);

    private readonly string _source;
    private readonly ProcessLaunch _launch;
    private readonly LogMultiplexer _log;
    private readonly TimeProvider _time;
    private readonly TimeSpan _grace;
    private volatile ChildProcess? _current;

    public SupervisedProcess(string source, ProcessLaunch launch, LogMultiplexer log, TimeProvider time, TimeSpan grace)
    {
        _source = source;
        _launch = launch;
        _log = log;
        _time = time;
        _grace = grace;
    }

    /// <summary>The name its output lines are prefixed with.</summary>
    public string Source => _source;

    /// <summary>The current process id, null between runs.</summary>
    public int? Pid { get; private set; }

    /// <summary>Raised after every start and exit, with the new <see cref="Pid"/>.</summary>
    public event Action<SupervisedProcess>? PidChanged;

    /// <summary>Raised when the process exited on its own (before its restart), with the exit code.</summary>
    public event Action<SupervisedProcess, int>? ExitedUnexpectedly;

    /// <summary>Runs, restarting as needed, until <paramref name="stopping"/> fires; then stops the process and returns.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            var startedAt = _time.GetTimestamp();
            ChildProcess child;
            try
            {
                child = ChildProcess.Start(_launch, _source, _log);
            }
            catch (Win32Exception e)
            {
                var retry = DelayAsync(backoff, stopping);
                _log.Event($"failed  {_source}  cannot run {_launch.FileName}: {e.Message}; retrying in {backoff.TotalSeconds:0}s");
                if (!await retry.ConfigureAwait(false))
                {
                    return;
                }

                backoff = Next(backoff);
                continue;
            }

            int exitCode;
            using (child)
            {
                _current = child;
                SetPid(child.Pid);
                try
                {
                    exitCode = await child.Exited.WaitAsync(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await child.StopAsync(_grace, _time).ConfigureAwait(false);
                    _current = null;
                    SetPid(null);
                    return;
                }

                // The process is gone; anything it left behind in its group goes with it, as in a container.
                child.KillRemaining();
                await child.DrainOutputAsync(_time).ConfigureAwait(false);
                _current = null;
                SetPid(null);
                if (_time.GetElapsedTime(startedAt) >= StableRun)
                {
                    backoff = FirstBackoff;
                }

                ExitedUnexpectedly?.Invoke(this, exitCode);
            }

            // The backoff timer starts before the line is written, so whoever reads the line can rely on it running.
            var restart = DelayAsync(backoff, stopping);
            _log.Event($"exited  {_source}  code {exitCode}, restarting in {backoff.TotalSeconds:0}s");
            if (!await restart.ConfigureAwait(false))
            {
                return;
            }

            backoff = Next(backoff);
        }
    }

    /// <summary>Kills the current process and its group right away (stopping then completes without waiting for the grace period).</summary>
    public void Kill() => _current?.KillRemaining();

    private static TimeSpan Next(TimeSpan backoff) => backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void SetPid(int? pid)
    {
        Pid = pid;
        PidChanged?.Invoke(this);
    }
}
