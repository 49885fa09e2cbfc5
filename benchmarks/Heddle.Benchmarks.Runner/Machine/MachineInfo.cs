using System.Runtime.InteropServices;
using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Machine;

/// <summary>What the numbers were measured on.</summary>
internal sealed record MachineInfo
{
    public required string CpuModel { get; init; }

    public required int LogicalCores { get; init; }

    public required string MemoryTotal { get; init; }

    public required string Kernel { get; init; }

    public required string OperatingSystem { get; init; }

    public required string DotnetRuntime { get; init; }

    public required string? DotnetSdk { get; init; }

    public required string? Nginx { get; init; }

    public required string? Haproxy { get; init; }

    public required string? Wrk { get; init; }

    public required string? Hey { get; init; }

    public required string? GitCommit { get; init; }

    public required string LoadAverageAtStart { get; init; }

    public string? LoadAverageAtEnd { get; set; }

    public static async Task<MachineInfo> CollectAsync(Tools tools, string repositoryRoot)
    {
        string? commit = await ProcessRunner.FirstLineAsync("git", "-C", repositoryRoot, "rev-parse", "--short=12", "HEAD").ConfigureAwait(false);
        if (commit is not null && commit.Length > 0)
        {
            // diff-index reads the index without refreshing it, so it changes nothing in the repository.
            CommandResult dirty = await ProcessRunner.RunAsync(
                "git", ["-C", repositoryRoot, "diff-index", "--quiet", "HEAD", "--"], TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            if (dirty.ExitCode != 0)
            {
                commit += " (with uncommitted changes)";
            }
        }

        return new MachineInfo
        {
            CpuModel = ReadKeyed("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            LogicalCores = Environment.ProcessorCount,
            MemoryTotal = FormatMemory(ReadKeyed("/proc/meminfo", "MemTotal")),
            Kernel = ReadFirstLine("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
            OperatingSystem = ReadOsRelease() ?? RuntimeInformation.OSDescription,
            DotnetRuntime = RuntimeInformation.FrameworkDescription,
            DotnetSdk = await ProcessRunner.FirstLineAsync("dotnet", "--version").ConfigureAwait(false),
            Nginx = await ProcessRunner.FirstLineAsync(tools.Nginx, "-v").ConfigureAwait(false),
            Haproxy = await ProcessRunner.FirstLineAsync(tools.Haproxy, "-v").ConfigureAwait(false),
            Wrk = await ProcessRunner.FirstLineAsync(tools.Wrk, "-v").ConfigureAwait(false),
            Hey = await HeyVersionAsync().ConfigureAwait(false),
            GitCommit = commit,
            LoadAverageAtStart = LoadAverage(),
        };
    }

    public static string LoadAverage() => ReadFirstLine("/proc/loadavg") ?? "unknown";

    private static async Task<string?> HeyVersionAsync()
    {
        // hey prints no version; ask the package manager.
        string? version = await ProcessRunner.FirstLineAsync("dpkg-query", "-W", "-f", "${Version}", "hey").ConfigureAwait(false);
        return string.IsNullOrEmpty(version) || version.Contains("no packages", StringComparison.OrdinalIgnoreCase)
            ? "hey (version unknown)"
            : $"hey {version} (Debian package)";
    }

    private static string? ReadKeyed(string path, string key)
    {
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                int colon = line.IndexOf(':');
                if (colon > 0 && line[..colon].Trim() == key)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault()?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? ReadOsRelease()
    {
        string? pretty = ReadKeyed("/etc/os-release", "PRETTY_NAME");
        if (pretty is null)
        {
            try
            {
                foreach (string line in File.ReadLines("/etc/os-release"))
                {
                    if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                    {
                        pretty = line["PRETTY_NAME=".Length..];
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        return pretty?.Trim('"');
    }

    private static string FormatMemory(string? memTotal)
    {
        // "16318496 kB"
        if (memTotal is not null && long.TryParse(memTotal.Split(' ')[0], out long kb))
        {
            return $"{kb / 1024.0 / 1024.0:0.0} GiB";
        }

        return "unknown";
    }
}
