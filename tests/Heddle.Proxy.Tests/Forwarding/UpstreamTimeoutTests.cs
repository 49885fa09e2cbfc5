using System.Net;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Forwarding;

public sealed class UpstreamTimeoutTests
{
    [Fact]
    public async Task SilentUpstream_Returns504UpstreamTimeout()
    {
        var net = TestSubnet.Next();
        await using var controlPlane = await FakeControlPlane.StartAsync(net.ControlPlane);
        await using var app = await HttpUpstream.StartAsync(net.Address(10), 8080, "slow");
        var cluster = ClusterName("slow", 8000);
        controlPlane.SetSnapshot("client-0.default", Full("1",
            Cluster(cluster, Endpoint(app.Endpoint.Address.ToString(), 8080)),
            VirtualHost("slow", 8000, Route(cluster))));
        var options = TestProxy.Options(net.Address(2), controlPlane.Address, "client-0") with { UpstreamIdleTimeout = TimeSpan.FromMilliseconds(300) };
        await using var proxy = await TestProxy.StartAsync(options);
        await proxy.WaitForVersionAsync("1");
        using var http = proxy.CreateProxiedClient();

        using var response = await http.GetAsync("http://slow:8000/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout\n", await response.Content.ReadAsStringAsync());
        var line = await proxy.AccessLog.WaitForLineAsync(l => l.Contains("/slow"), "the access log line");
        Assert.Contains(" 504 UT ", line);
    }
}
