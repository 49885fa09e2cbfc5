using System.Globalization;
using System.Net;

namespace Heddle.Benchmarks.Runner.Processes;

/// <summary>Finds the processes that hold a listening TCP socket, from /proc/net/tcp and /proc/PID/fd.</summary>
/// <remarks>Used to find a sidecar's pid from its pod IP and port without depending on how the mesh records pids.</remarks>
internal static class SocketOwners
{
    private const string ListenState = "0A";

    /// <summary>Pids with a socket listening on <paramref name="address"/>:<paramref name="port"/>, outermost process first.</summary>
    public static List<int> FindListeners(IPAddress address, int port)
    {
        var inodes = ListeningInodes(address, port);
        var owners = new List<int>();
        if (inodes.Count == 0)
        {
            return owners;
        }

        foreach (string processDirectory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(processDirectory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            if (OwnsAny(processDirectory, inodes))
            {
                owners.Add(pid);
            }
        }

        // A forking server (nginx) shares the socket between master and workers: put the ancestor first.
        owners.Sort((a, b) => Depth(a).CompareTo(Depth(b)));
        return owners;
    }

    private static HashSet<string> ListeningInodes(IPAddress address, int port)
    {
        byte[] bytes = address.GetAddressBytes();
        string portHex = port.ToString("X4", CultureInfo.InvariantCulture);
        // /proc/net/tcp prints the address as the native-endian (little-endian) 32-bit value.
        string exact = $"{bytes[3]:X2}{bytes[2]:X2}{bytes[1]:X2}{bytes[0]:X2}:{portHex}";
        string any = $"00000000:{portHex}";
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 9 && fields[3] == ListenState && (fields[1] == exact || fields[1] == any))
            {
                inodes.Add($"socket:[{fields[9]}]");
            }
        }

        return inodes;
    }

    private static bool OwnsAny(string processDirectory, HashSet<string> socketLinks)
    {
        try
        {
            foreach (string fd in Directory.EnumerateFiles(Path.Combine(processDirectory, "fd")))
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is not null && socketLinks.Contains(target))
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return false;
    }

    private static int Depth(int pid)
    {
        int depth = 0;
        for (int? current = pid; current is > 1 && depth < 64; current = ProcFs.ParentOf(current.Value))
        {
            depth++;
        }

        return depth;
    }
}
