using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.LocalMesh;

public class PodIpAllocatorTests
{
    [Fact]
    public void TryParse_DefaultRange_ControlPlaneOnDotZeroDotOne()
    {
        Assert.True(PodIpAllocator.TryParse(PodIpAllocator.DefaultCidr, out var allocator, out _));

        Assert.Equal("127.0.0.1", allocator.ControlPlane.ToString());
    }

    [Fact]
    public void PodIp_WorkloadAndReplica_AreThirdAndFourthOctetPlusOne()
    {
        Assert.True(PodIpAllocator.TryParse("127.20.0.0/16", out var allocator, out _));

        Assert.Equal("127.20.1.1", allocator.PodIp(0, 0).ToString());
        Assert.Equal("127.20.2.3", allocator.PodIp(1, 2).ToString());
        Assert.Equal("127.20.254.254", allocator.PodIp(253, 253).ToString());
    }

    [Fact]
    public void TryParse_HostBitsSet_NormalizedToNetwork()
    {
        Assert.True(PodIpAllocator.TryParse("127.21.9.7/16", out var allocator, out _));

        Assert.Equal("127.21.0.0/16", allocator.Cidr);
        Assert.Equal("127.21.0.1", allocator.ControlPlane.ToString());
    }

    [Theory]
    [InlineData("127.0.0.0/24")]
    [InlineData("127.0.0.0/8")]
    [InlineData("10.1.0.0/16")]
    [InlineData("::1/16")]
    [InlineData("127.0.0.0")]
    [InlineData("localhost/16")]
    public void TryParse_NotALoopbackSlash16_FailsWithReason(string cidr)
    {
        Assert.False(PodIpAllocator.TryParse(cidr, out _, out string error));

        Assert.Contains(cidr, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(254, 0)]
    [InlineData(0, 254)]
    public void PodIp_OutsideTheRange_Throws(int workload, int replica)
    {
        Assert.True(PodIpAllocator.TryParse(PodIpAllocator.DefaultCidr, out var allocator, out _));

        Assert.Throws<ArgumentOutOfRangeException>(() => allocator.PodIp(workload, replica));
    }
}
