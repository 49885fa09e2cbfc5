using System.Runtime.InteropServices;

namespace Heddle.Benchmarks.Runner.Processes;

/// <summary>The few libc calls the BCL does not expose: sending a signal and reading the clock tick rate.</summary>
internal static partial class Native
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    private const int ScClkTck = 2;

    /// <summary>Ticks per second of utime/stime in /proc/PID/stat (USER_HZ).</summary>
    public static long ClockTicksPerSecond { get; } = ReadClockTicks();

    /// <summary>Sends a signal to a process, or to a process group when <paramref name="pid"/> is negative.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    private static long ReadClockTicks()
    {
        long ticks = SysConf(ScClkTck);
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
