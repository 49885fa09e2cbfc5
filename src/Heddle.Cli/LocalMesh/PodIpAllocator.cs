using System.Net;
using System.Net.Sockets;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// Hands out the loopback "pod IPs" of a local mesh inside one /16: the control plane gets
/// <c>&lt;base&gt;.0.1</c>, replica r of workload i (0-based, in load order) gets <c>&lt;base&gt;.(i+1).(r+1)</c>.
/// </summary>
/// <remarks>
/// Linux routes all of 127.0.0.0/8 to the loopback interface, so every address can be bound without setup
/// and every sidecar listens on the conventional ports of its own address.
/// </remarks>
internal sealed class PodIpAllocator
{
    /// <summary>The default range: the control plane ends up on 127.0.0.1, where tools look for it.</summary>
    public const string DefaultCidr = "127.0.0.0/16";

    /// <summary>Workloads and replicas are numbered 1..254 in the third and fourth octets.</summary>
    public const int MaxWorkloads = 254;

    public const int MaxReplicas = 254;

    private readonly byte _first;
    private readonly byte _second;

    private PodIpAllocator(byte first, byte second)
    {
        _first = first;
        _second = second;
    }

    /// <summary>The range in CIDR notation, normalized to its network address.</summary>
    public string Cidr => $"{_first}.{_second}.0.0/16";

    /// <summary>Where the control plane listens (discovery and monitoring ports).</summary>
    public IPAddress ControlPlane => Address(0, 1);

    /// <summary>Parses a loopback /16 such as <c>127.0.0.0/16</c>; host bits are ignored.</summary>
    public static bool TryParse(string cidr, out PodIpAllocator allocator, out string error)
    {
        allocator = null!;
        int slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var network)
            || !int.TryParse(cidr.AsSpan(slash + 1), out int prefix))
        {
            error = $"'{cidr}' is not a CIDR range such as {DefaultCidr}";
            return false;
        }

        if (network.AddressFamily != AddressFamily.InterNetwork || prefix != 16)
        {
            error = $"'{cidr}' must be an IPv4 /16 range such as {DefaultCidr}: pod IPs are <base>.<workload>.<replica>";
            return false;
        }

        byte[] bytes = network.GetAddressBytes();
        if (bytes[0] != 127)
        {
            error = $"'{cidr}' must lie in the loopback range 127.0.0.0/8, where every address is local without setup";
            return false;
        }

        allocator = new PodIpAllocator(bytes[0], bytes[1]);
        error = "";
        return true;
    }

    /// <summary>The pod IP of replica <paramref name="replica"/> of the workload at <paramref name="workloadIndex"/> in load order.</summary>
    public IPAddress PodIp(int workloadIndex, int replica)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workloadIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(workloadIndex, MaxWorkloads);
        ArgumentOutOfRangeException.ThrowIfNegative(replica);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(replica, MaxReplicas);
        return Address(workloadIndex + 1, replica + 1);
    }

    private IPAddress Address(int third, int fourth) => new([_first, _second, (byte)third, (byte)fourth]);
}
