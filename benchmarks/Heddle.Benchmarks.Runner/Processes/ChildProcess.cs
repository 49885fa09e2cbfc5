using System.Diagnostics;

namespace Heddle.Benchmarks.Runner.Processes;

/// <summary>How to start a long-running child process.</summary>
internal sealed record ChildProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>stdout and stderr are appended here, line by line.</summary>
    public required string LogPath { get; init; }

    /// <summary>Start the process in a new session (setsid), so that stopping it reaches everything it started.</summary>
    public bool OwnProcessGroup { get; init; }

    /// <summary>Called for every output line (stdout and stderr), from a pool thread.</summary>
    public Action<string>? OnOutputLine { get; init; }
}

/// <summary>A server process the runner started and must stop: its output goes to a log file.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly ChildProcessSpec _spec;
    private bool _stopped;

    private ChildProcess(Process process, StreamWriter log, ChildProcessSpec spec)
    {
        _process = process;
        _log = log;
        _spec = spec;
    }

    public int Id => _process.Id;

    public string LogPath => _spec.LogPath;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(ChildProcessSpec spec)
    {
        var info = new ProcessStartInfo
        {
            FileName = spec.OwnProcessGroup ? "setsid" : spec.FileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
        };
        if (spec.OwnProcessGroup)
        {
            info.ArgumentList.Add(spec.FileName);
        }

        foreach (string argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (spec.Environment is not null)
        {
            foreach (KeyValuePair<string, string> variable in spec.Environment)
            {
                info.Environment[variable.Key] = variable.Value;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(spec.LogPath)!);
        var log = new StreamWriter(spec.LogPath, append: true) { AutoFlush = true };
        log.WriteLine($"# {DateTimeOffset.Now:O} {spec.FileName} {string.Join(' ', spec.Arguments)}");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, log, spec);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ChildRegistry.Add(child);
        return child;
    }

    /// <summary>The last lines of the log, for error messages.</summary>
    public string LogTail(int lines = 15)
    {
        try
        {
            string[] all = File.ReadAllLines(_spec.LogPath);
            return string.Join(System.Environment.NewLine, all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>SIGTERM (to the whole group when it has its own), then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        int target = _spec.OwnProcessGroup ? -_process.Id : _process.Id;
        if (!_process.HasExited)
        {
            Native.Signal(target, Native.SigTerm);
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        // A group may outlive its leader (a child that ignored SIGTERM): SIGKILL whatever is left of it.
        // A lone process is only signalled while it has not been reaped, since its pid may be reused afterwards.
        if (_spec.OwnProcessGroup)
        {
            Native.Signal(target, Native.SigKill);
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        ChildRegistry.Remove(this);
        lock (_logLock)
        {
            _log.Flush();
        }
    }

    /// <summary>Last-resort synchronous kill, for the process-exit handler.</summary>
    public void KillNow()
    {
        if (_spec.OwnProcessGroup)
        {
            Native.Signal(-_process.Id, Native.SigKill);
        }
        else if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }

        _spec.OnOutputLine?.Invoke(line);
    }
}

/// <summary>Every child still running, so that an interrupted run leaves no process behind.</summary>
internal static class ChildRegistry
{
    private static readonly Lock Gate = new();
    private static readonly List<ChildProcess> Children = [];

    public static void Add(ChildProcess child)
    {
        lock (Gate)
        {
            Children.Add(child);
        }
    }

    public static void Remove(ChildProcess child)
    {
        lock (Gate)
        {
            Children.Remove(child);
        }
    }

    public static void KillAll()
    {
        lock (Gate)
        {
            foreach (ChildProcess child in Children)
            {
                child.KillNow();
            }

            Children.Clear();
        }
    }
}
