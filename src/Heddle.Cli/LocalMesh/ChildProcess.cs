using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// One running process of the mesh, started in a session (and so a process group) of its own: the terminal's
/// Ctrl-C reaches only <c>heddle up</c>, which then stops the mesh in order, and stopping the group also stops
/// whatever the process started. Its stdout and stderr lines go to the <see cref="LogMultiplexer"/>; its stdin is closed.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly string? SetsidPath = Executables.FindOnPath("setsid", Environment.GetEnvironmentVariable("PATH"));

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _ownGroup;

    private ChildProcess(Process process, bool ownGroup)
    {
        _process = process;
        _ownGroup = ownGroup;
    }

    public int Pid { get; private set; }

    /// <summary>Completes with the exit code when the process itself (not necessarily all it started) has exited.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Starts the process; throws <see cref="Win32Exception"/> when the program cannot be executed.</summary>
    public static ChildProcess Start(ProcessLaunch launch, string source, LogMultiplexer log)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = launch.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };

        // util-linux setsid execs the program in place (same pid) when the caller is not a group leader, which a
        // freshly forked child never is; the pid we get is then the program's and the leader of its own group.
        bool ownGroup = SetsidPath is not null;
        if (ownGroup)
        {
            info.FileName = SetsidPath!;
            info.ArgumentList.Add(launch.FileName);
        }
        else
        {
            info.FileName = launch.FileName;
        }

        foreach (string argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in launch.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, ownGroup);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.Line(source, e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                log.Line(source, e.Data);
            }
        };
        process.Exited += (_, _) => child._exited.TrySetResult(SafeExitCode(process));

        process.Start();
        child.Pid = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Stops the process and everything in its group: SIGTERM, up to <paramref name="grace"/> to exit, then SIGKILL.
    /// Whatever is left in the group after the process exited is killed too.
    /// </summary>
    public async Task StopAsync(TimeSpan grace, TimeProvider time)
    {
        if (!_exited.Task.IsCompleted)
        {
            Signal(Native.SigTerm);
            using var timeout = new CancellationTokenSource(grace, time);
            try
            {
                await _exited.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        KillRemaining();
        await _exited.Task.ConfigureAwait(false);
        await DrainOutputAsync(time).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the last lines the process wrote have been read (its pipes reach end of file), so that an exiting
    /// process's final words — often the reason it exited — are not lost. Bounded, in case something outside its
    /// group still holds the pipes open.
    /// </summary>
    public async Task DrainOutputAsync(TimeProvider time)
    {
        using var timeout = new CancellationTokenSource(DrainTimeout, time);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
        }
    }

    /// <summary>Kills the whole group at once (after the process exited on its own, or when stopping is overdue).</summary>
    public void KillRemaining()
    {
        Signal(Native.SigKill);
        if (!_exited.Task.IsCompleted)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception or ObjectDisposedException)
            {
                // Already gone.
            }
        }
    }

    public void Dispose() => _process.Dispose();

    private void Signal(int signal)
    {
        if (_ownGroup)
        {
            Native.SignalProcessGroup(Pid, signal);
        }
        else if (!_exited.Task.IsCompleted)
        {
            Native.SignalProcess(Pid, signal);
        }
    }

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
