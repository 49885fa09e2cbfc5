using System.Globalization;

namespace Heddle.Benchmarks.Runner.Processes;

/// <summary>One reading of a process's counters from /proc.</summary>
/// <param name="CpuTicks">utime + stime, in clock ticks.</param>
/// <param name="PeakRssKb">VmHWM: the highest resident set size since the process started.</param>
/// <param name="RssKb">VmRSS now.</param>
/// <param name="Threads">Threads now.</param>
internal readonly record struct ProcessSample(long CpuTicks, long PeakRssKb, long RssKb, int Threads);

/// <summary>Reads CPU time, memory and parentage of processes from /proc.</summary>
internal static class ProcFs
{
    // Field positions in /proc/PID/stat counted after the ")" that closes the command name:
    // index 0 is field 3 (state), so field N is at index N - 3 (see proc(5)).
    private const int ParentPidIndex = 4 - 3;
    private const int UserTimeIndex = 14 - 3;
    private const int SystemTimeIndex = 15 - 3;

    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat") && ReadState(pid) is not ('Z' or 'X' or null);

    public static ProcessSample? TryRead(int pid)
    {
        try
        {
            string[]? stat = ReadStatFields(pid);
            if (stat is null)
            {
                return null;
            }

            long ticks = long.Parse(stat[UserTimeIndex], CultureInfo.InvariantCulture)
                + long.Parse(stat[SystemTimeIndex], CultureInfo.InvariantCulture);
            long peak = 0, rss = 0;
            int threads = 0;
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = ParseKb(line);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = ParseKb(line);
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line.AsSpan("Threads:".Length).Trim(), CultureInfo.InvariantCulture);
                }
            }

            return new ProcessSample(ticks, peak, rss, threads);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every live descendant of <paramref name="pid"/> (children, grandchildren, ...).</summary>
    public static List<int> Descendants(int pid)
    {
        var parentOf = new Dictionary<int, int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int candidate))
            {
                continue;
            }

            string[]? stat = ReadStatFields(candidate);
            if (stat is not null && int.TryParse(stat[ParentPidIndex], NumberStyles.None, CultureInfo.InvariantCulture, out int parent))
            {
                parentOf[candidate] = parent;
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>();
        frontier.Enqueue(pid);
        while (frontier.Count > 0)
        {
            int current = frontier.Dequeue();
            foreach (KeyValuePair<int, int> entry in parentOf)
            {
                if (entry.Value == current)
                {
                    result.Add(entry.Key);
                    frontier.Enqueue(entry.Key);
                }
            }
        }

        return result;
    }

    public static int? ParentOf(int pid)
    {
        string[]? stat = ReadStatFields(pid);
        return stat is not null && int.TryParse(stat[ParentPidIndex], NumberStyles.None, CultureInfo.InvariantCulture, out int parent)
            ? parent
            : null;
    }

    public static string? CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The process's arguments (argv), or null once it is gone.</summary>
    public static string[]? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static char? ReadState(int pid)
    {
        string[]? stat = ReadStatFields(pid);
        return stat is null || stat[0].Length == 0 ? null : stat[0][0];
    }

    private static string[]? ReadStatFields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) may contain spaces and parentheses; it ends at the last ")".
        int close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        string[] fields = text[(close + 2)..].Split(' ');
        return fields.Length > SystemTimeIndex ? fields : null;
    }

    private static long ParseKb(string line)
    {
        // "VmHWM:	   12345 kB"
        ReadOnlySpan<char> value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        int space = value.IndexOf(' ');
        return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
    }
}
