namespace Heddle.Benchmarks.Runner.Machine;

/// <summary>Absolute paths of the external programs the runner drives.</summary>
/// <param name="Perf">Needed only for <c>--trace-scheduler</c>; null when missing.</param>
internal sealed record Tools(string Nginx, string Haproxy, string Wrk, string Hey, string? Perf)
{
    // Debian installs nginx and haproxy in /usr/sbin, which a non-root PATH often lacks.
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin"];

    /// <summary>Finds every tool; on failure the message names each missing one and its Debian package.</summary>
    public static Tools Find(out string? problem)
    {
        var missing = new List<string>();
        string Need(string command, string package)
        {
            string? path = Locate(command);
            if (path is null)
            {
                missing.Add($"  {command,-8} not found: apt-get install {package}");
                return command;
            }

            return path;
        }

        var tools = new Tools(Need("nginx", "nginx"), Need("haproxy", "haproxy"), Need("wrk", "wrk"), Need("hey", "hey"), Locate("perf"));
        problem = missing.Count == 0
            ? null
            : "The benchmark needs these programs (it installs nothing):" + Environment.NewLine + string.Join(Environment.NewLine, missing);
        return tools;
    }

    public static string? Locate(string command)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories))
        {
            string candidate = Path.Combine(directory, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
