using System.Net;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>
/// A /24 of loopback addresses for one test (127.30.N.0/24), so that tests running in parallel never share an address
/// and every proxy can listen on the conventional ports of its own "pod IP".
/// </summary>
internal readonly record struct TestSubnet(int Index)
{
    private static int _next;

    public static TestSubnet Next()
    {
        var index = Interlocked.Increment(ref _next);
        if (index > 250)
        {
            throw new InvalidOperationException("the proxy tests ran out of 127.30.x.0/24 subnets");
        }

        return new TestSubnet(index);
    }

    /// <summary>127.30.Index.host</summary>
    public IPAddress Address(int host) => new([127, 30, (byte)Index, (byte)host]);

    /// <summary>Where the fake control plane of this test listens.</summary>
    public IPAddress ControlPlane => Address(1);
}
