namespace Heddle.Cli.LocalMesh;

/// <summary>
/// <c>heddle up</c> runs for as long as its mesh, on the cores its sidecars use. With tiered compilation, .NET compiles a
/// method again once it has run 30 times, so work done once a second (readiness checks, logs) is recompiled half a
/// minute after start, in pieces of milliseconds that delay the sidecars' requests. Short commands start 2.5× faster
/// with tiered compilation, so the CLI keeps it and <c>heddle up</c> replaces itself once, at start, with the same
/// command line without it: the same process id, terminal and arguments. The replacement then forgets the setting, so
/// the control plane and workloads it starts inherit the user's environment. A <c>DOTNET_TieredCompilation</c> the
/// user set wins: no restart.
/// </summary>
internal static class QuietRuntime
{
    /// <summary>Set on the replacement only, so that it knows the setting was not the user's.</summary>
    public const string RestartedVariable = "HEDDLE_UP_RESTARTED";

    public enum Step
    {
        /// <summary>The user chose a tiered-compilation setting: run as started.</summary>
        Keep,

        /// <summary>Replace this process with one without tiered compilation.</summary>
        Restart,

        /// <summary>This is the replacement: remove the two variables, so that children do not inherit them.</summary>
        Forget,
    }

    public static Step Decide(string? tieredCompilation, string? restarted) =>
        restarted is not null ? Step.Forget : tieredCompilation is null ? Step.Restart : Step.Keep;

    /// <summary>The replacement's environment: this one, without tiered compilation and marked as restarted.</summary>
    public static Dictionary<string, string> RestartEnvironment(System.Collections.IDictionary current)
    {
        var environment = Native.EnvironmentOf(current);
        environment[MeshPlan.TieredCompilationVariable] = "0";
        environment[RestartedVariable] = "1";
        return environment;
    }

    /// <summary>Call first thing in <c>heddle up</c>'s process. Returns only if no restart was needed or the restart
    /// failed (then the command runs with tiered compilation, as before).</summary>
    public static void Apply()
    {
        switch (Decide(Environment.GetEnvironmentVariable(MeshPlan.TieredCompilationVariable), Environment.GetEnvironmentVariable(RestartedVariable)))
        {
            case Step.Forget:
                Environment.SetEnvironmentVariable(MeshPlan.TieredCompilationVariable, null);
                Environment.SetEnvironmentVariable(RestartedVariable, null);
                break;
            case Step.Restart when OperatingSystem.IsLinux():
                Restart();
                break;
        }
    }

    private static void Restart()
    {
        string[] commandLine;
        string? executable;
        try
        {
            // The command line as the kernel received it (for `dotnet heddle.dll up DIR`, dotnet's own arguments too).
            commandLine = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');
            executable = new FileInfo("/proc/self/exe").ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        if (executable is null || commandLine.Length == 0)
        {
            return;
        }

        Native.Exec(executable, commandLine[1..], RestartEnvironment(Environment.GetEnvironmentVariables()));
    }
}
