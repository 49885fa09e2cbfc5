using System.Diagnostics;
using Heddle.Proxy.Telemetry;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Lifetime;

/// <summary>Stops the proxy when the process that started it is gone, so that no sidecar outlives its mesh.</summary>
internal sealed class ParentProcessWatcher(int pid, TimeProvider timeProvider, Action onExit, ILogger logger)
{
    public static TimeSpan Period { get; } = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        do
        {
            if (!IsAlive(pid))
            {
                ProxyLog.ParentExited(logger, pid);
                onExit();
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // A zombie (exited, not yet reaped) has /proc/<pid> but state 'Z'.
            try
            {
                var stat = File.ReadAllText("/proc/" + pid + "/stat");
                var end = stat.LastIndexOf(')');
                return end < 0 || end + 2 >= stat.Length || stat[end + 2] != 'Z';
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
