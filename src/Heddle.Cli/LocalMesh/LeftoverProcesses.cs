namespace Heddle.Cli.LocalMesh;

/// <summary>
/// Cleans up after a mesh whose <c>heddle up</c> was killed outright (SIGKILL, a crash): its sidecars and control
/// plane exit by themselves (they watch their parent), but its workloads would keep running and keep their ports.
/// </summary>
internal static class LeftoverProcesses
{
    /// <summary>
    /// Kills the process group of every workload recorded in <paramref name="state"/> that still runs — only when
    /// the process still carries that pod's <c>POD_IP</c> and <c>POD_NAME</c>, so that a reused pid is never touched.
    /// Returns the pod names whose processes were killed.
    /// </summary>
    public static IReadOnlyList<string> Kill(MeshState state)
    {
        var killed = new List<string>();
        foreach (var pod in state.Pods)
        {
            if (pod.Pid is { } pid && Native.IsAlive(pid) && Carries(pid, $"POD_IP={pod.PodIp}", $"POD_NAME={pod.PodName}"))
            {
                Native.SignalProcessGroup(pid, Native.SigKill);
                killed.Add(pod.PodName);
            }
        }

        return killed;
    }

    private static bool Carries(int pid, string first, string second)
    {
        try
        {
            string[] environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
            return environment.Contains(first, StringComparer.Ordinal) && environment.Contains(second, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
