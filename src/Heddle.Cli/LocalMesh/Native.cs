using System.Runtime.InteropServices;

namespace Heddle.Cli.LocalMesh;

/// <summary>The few POSIX calls the local mesh needs that .NET does not expose: signalling process groups, the user id, exec.</summary>
internal static partial class Native
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private const int EPERM = 1;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int execve(string path, string?[] argv, string?[] envp);

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="groupId"/>; false when the group is gone.</summary>
    public static bool SignalProcessGroup(int groupId, int signal) => groupId > 1 && kill(-groupId, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process; false when it is gone.</summary>
    public static bool SignalProcess(int pid, int signal) => pid > 1 && kill(pid, signal) == 0;

    /// <summary>True while a process with this id exists (signal 0 checks existence and permission without sending anything).</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        if (kill(pid, 0) != 0)
        {
            // EPERM: it exists but belongs to someone else.
            return Marshal.GetLastPInvokeError() == EPERM;
        }

        return !IsZombie(pid);
    }

    /// <summary>A process that has exited but was not reaped yet still answers signal 0; it is dead all the same.</summary>
    private static bool IsZombie(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) S ...", where comm may itself contain spaces and parentheses.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int end = stat.LastIndexOf(')');
            return end > 0 && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return !Directory.Exists($"/proc/{pid}") && OperatingSystem.IsLinux();
        }
    }

    public static uint EffectiveUserId() => geteuid();

    /// <summary>Environment variables as <see cref="Exec"/> takes them (an unset value becomes empty).</summary>
    public static Dictionary<string, string> EnvironmentOf(System.Collections.IDictionary variables)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in variables)
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        return environment;
    }

    /// <summary>Replaces the current process image; returns only on failure, with the errno.</summary>
    public static int Exec(string path, IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var argv = new string?[arguments.Count + 2];
        argv[0] = path;
        for (int i = 0; i < arguments.Count; i++)
        {
            argv[i + 1] = arguments[i];
        }

        var envp = new List<string?>();
        foreach (var (name, value) in environment)
        {
            envp.Add(name + "=" + value);
        }

        envp.Add(null);
        execve(path, argv, envp.ToArray());
        return Marshal.GetLastPInvokeError();
    }
}
