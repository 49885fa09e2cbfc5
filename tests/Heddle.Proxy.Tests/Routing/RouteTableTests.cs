using Heddle.Proxy.Routing;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Routing;

public sealed class RouteTableTests
{
    private static readonly RouteTable Table = TestSnapshots.Build(
        "1",
        Cluster(ClusterName("web", 8000)),
        Cluster(ClusterName("web", 80)),
        VirtualHost("web", 8000, Route(ClusterName("web", 8000))),
        VirtualHost("web", 80, Route(ClusterName("web", 80)))).Routes;

    [Theory]
    [InlineData("web:8000", "web.default.svc.cluster.local:8000")]
    [InlineData("WEB.Default.svc:8000", "web.default.svc.cluster.local:8000")]
    [InlineData("web", "web.default.svc.cluster.local:80")]
    [InlineData("web.default.svc.cluster.local", "web.default.svc.cluster.local:80")]
    public void Find_ByAuthority_AddsDefaultPortAndIgnoresCase(string authority, string expected)
    {
        Assert.Equal(expected, Table.Find(authority, 80)?.Name);
    }

    [Theory]
    [InlineData("web:9999")]
    [InlineData("other:8000")]
    [InlineData("")]
    public void Find_UnknownAuthority_IsNull(string authority)
    {
        Assert.Null(Table.Find(authority, 80));
    }

    [Theory]
    [InlineData("host:80", true)]
    [InlineData("host", false)]
    [InlineData("[::1]:80", true)]
    [InlineData("[::1]", false)]
    public void HasPort_RecognizesIpv6Literals(string authority, bool expected)
    {
        Assert.Equal(expected, RouteTable.HasPort(authority));
    }

    [Fact]
    public void Find_DoesNotAllocate()
    {
        Table.Find("web", 80);
        Table.Find("web:8000", 80);
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            Table.Find("web", 80);
            Table.Find("Web.Default:8000", 80);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
