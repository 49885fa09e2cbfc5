using System.Globalization;
using System.Net;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>The kernel's table of TCP connections (/proc/net/tcp and tcp6), for tests about how many connections a
/// proxy opens.</summary>
internal static class SocketTable
{
    /// <summary>The local ends of the established connections to <paramref name="port"/> of the given addresses
    /// (dual-mode sockets show IPv4 peers as IPv4-mapped addresses).</summary>
    public static HashSet<string> ConnectionsTo(IEnumerable<string> addresses, int port)
    {
        var hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var remotes = addresses.SelectMany(a => new[] { HexAddress(a) + hexPort, "0000000000000000FFFF0000" + HexAddress(a) + hexPort }).ToHashSet();
        var found = new HashSet<string>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && remotes.Contains(fields[2]) && fields[3] == "01")
                {
                    found.Add(fields[1]);
                }
            }
        }

        return found;
    }

    /// <summary>An IPv4 address as /proc/net/tcp writes it (the 32-bit value in host byte order, hex).</summary>
    private static string HexAddress(string address)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        return string.Concat(bytes.Reverse().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
    }
}
