using System.Globalization;
using System.Net;

namespace Heddle.Benchmarks.Runner.Topology;

/// <summary>Every address the benchmark uses, inside one loopback /16 so that it never collides with tests' meshes.</summary>
/// <remarks>
/// The upstream listens on the address <c>heddle up</c> gives the first workload (the "upstream" LocalWorkload,
/// <c>A.B.1.1</c>), so that one upstream process serves every case, the Heddle pair included.
/// </remarks>
internal sealed class AddressPlan
{
    public const int UpstreamPort = 8080;
    public const int PairPort = 10080;

    private readonly string _prefix;

    private AddressPlan(string prefix, string cidr)
    {
        _prefix = prefix;
        Cidr = cidr;
    }

    public string Cidr { get; }

    public IPAddress ControlPlane => At(0, 1);

    public IPAddress UpstreamPod => At(1, 1);

    public IPAddress ClientPod => At(2, 1);

    /// <summary>An extra sidecar of the client workload, started only to time proxy start-up.</summary>
    public IPAddress StartupProbePod => At(2, 250);

    public IPAddress NginxClientSide => At(201, 1);

    public IPAddress NginxServerSide => At(201, 2);

    public IPAddress HaproxyClientSide => At(202, 1);

    public IPAddress HaproxyServerSide => At(202, 2);

    public IPEndPoint Upstream => new(UpstreamPod, UpstreamPort);

    public static AddressPlan Parse(string cidr)
    {
        string[] parts = cidr.Split('/');
        if (parts.Length != 2 || parts[1] != "16" || !IPAddress.TryParse(parts[0], out IPAddress? network))
        {
            throw new ArgumentException($"--cidr must be a loopback /16 such as 127.40.0.0/16, got '{cidr}'");
        }

        byte[] bytes = network.GetAddressBytes();
        if (bytes.Length != 4 || bytes[0] != 127 || bytes[2] != 0 || bytes[3] != 0)
        {
            throw new ArgumentException($"--cidr must be a loopback /16 such as 127.40.0.0/16, got '{cidr}'");
        }

        return new AddressPlan(string.Create(CultureInfo.InvariantCulture, $"{bytes[0]}.{bytes[1]}"), cidr);
    }

    private IPAddress At(int third, int fourth) => IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"{_prefix}.{third}.{fourth}"));
}
