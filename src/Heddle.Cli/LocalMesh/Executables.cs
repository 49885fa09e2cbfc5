namespace Heddle.Cli.LocalMesh;

/// <summary>Finds the programs the mesh runs: the user's commands on PATH, the proxy executable and this CLI itself.</summary>
internal static class Executables
{
    /// <summary>Overrides where the proxy executable is (for example a Native AOT build).</summary>
    public const string ProxyEnvironmentVariable = "HEDDLE_PROXY";

    private const string ProxyName = "heddle-proxy";

    /// <summary>Resolves a command like execvp does: a name with a slash is a path (relative to <paramref name="workingDirectory"/>), anything else is looked up on PATH.</summary>
    public static string? Resolve(string command, string workingDirectory, string? path)
    {
        if (command.Length == 0)
        {
            return null;
        }

        if (command.Contains('/', StringComparison.Ordinal))
        {
            string full = Path.GetFullPath(command, workingDirectory);
            return IsExecutable(full) ? full : null;
        }

        return FindOnPath(command, path);
    }

    public static string? FindOnPath(string name, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (string directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The proxy executable: <c>$HEDDLE_PROXY</c>, else <c>heddle-proxy</c> beside this CLI (an installed layout), else the
    /// build output of the repository (<c>artifacts/bin/Heddle.Proxy/&lt;config&gt;/</c>, the CLI being in <c>artifacts/bin/Heddle.Cli/&lt;config&gt;/</c>).
    /// </summary>
    public static ProcessCommand? Proxy(string baseDirectory)
    {
        string? configured = Environment.GetEnvironmentVariable(ProxyEnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return DotnetOrNative(Path.GetFullPath(configured));
        }

        var directory = new DirectoryInfo(baseDirectory);
        string besideCli = Path.Combine(directory.FullName, ProxyName);
        string? built = directory.Parent?.Parent is { } bin ? Path.Combine(bin.FullName, "Heddle.Proxy", directory.Name, ProxyName) : null;
        foreach (string? candidate in new[] { besideCli, built })
        {
            if (candidate is null)
            {
                continue;
            }

            if (IsExecutable(candidate) && IsComplete(candidate))
            {
                return new ProcessCommand(candidate, []);
            }

            if (File.Exists(candidate + ".dll"))
            {
                return DotnetOrNative(candidate + ".dll");
            }
        }

        return null;
    }

    /// <summary>
    /// A native (Native AOT) executable stands alone; a framework-dependent apphost needs its .dll beside it. The build
    /// copies the proxy's apphost next to the CLI without its .dll, and that copy cannot run.
    /// </summary>
    private static bool IsComplete(string executable) =>
        File.Exists(executable + ".dll") || !File.Exists(executable + ".runtimeconfig.json");

    /// <summary>How to start this CLI again as a child (under the same dotnet host when it runs as <c>dotnet heddle.dll</c>).</summary>
    public static ProcessCommand Self()
    {
        string processPath = Environment.ProcessPath ?? "dotnet";
        return IsDotnetHost(processPath)
            ? new ProcessCommand(processPath, [typeof(Executables).Assembly.Location])
            : new ProcessCommand(processPath, []);
    }

    /// <summary>
    /// Variables that let an apphost (<c>heddle-proxy</c>) find the runtime this CLI runs on, when that runtime is not
    /// in the default location.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> RuntimeEnvironment()
    {
        string? processPath = Environment.ProcessPath;
        if (processPath is not null && IsDotnetHost(processPath) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")))
        {
            yield return new("DOTNET_ROOT", Path.GetDirectoryName(Path.GetFullPath(processPath)));
        }
    }

    private static ProcessCommand? DotnetOrNative(string path)
    {
        if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            string host = Environment.ProcessPath is { } p && IsDotnetHost(p) ? p : FindOnPath("dotnet", Environment.GetEnvironmentVariable("PATH")) ?? "dotnet";
            return File.Exists(path) ? new ProcessCommand(host, [path]) : null;
        }

        return IsExecutable(path) ? new ProcessCommand(path, []) : null;
    }

    private static bool IsDotnetHost(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}

/// <summary>A program and the arguments that always precede the caller's (for example <c>dotnet heddle.dll</c>).</summary>
internal sealed record ProcessCommand(string FileName, IReadOnlyList<string> PrefixArguments)
{
    public IReadOnlyList<string> With(IEnumerable<string> arguments) => [.. PrefixArguments, .. arguments];
}
