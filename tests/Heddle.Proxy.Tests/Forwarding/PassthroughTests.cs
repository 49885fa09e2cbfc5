using System.Net;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Forwarding;

/// <summary>With the default outbound traffic policy (ALLOW_ANY), hosts the mesh does not know are reached directly.</summary>
public sealed class PassthroughTests
{
    [Fact]
    public async Task UnknownHost_WithAllowAny_IsForwardedToTheHostItself()
    {
        var net = TestSubnet.Next();
        await using var controlPlane = await FakeControlPlane.StartAsync(net.ControlPlane);
        await using var external = await HttpUpstream.StartAsync(net.Address(20), 8081, "external");
        controlPlane.SetSnapshot("client-0.default", Full("1"));
        await using var proxy = await TestProxy.StartAsync(net.Address(2), controlPlane.Address, "client-0");
        await proxy.WaitForVersionAsync("1");
        using var http = proxy.CreateProxiedClient();

        using var response = await http.GetAsync($"http://{external.Endpoint}/outside");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("external", HttpUpstream.Parse(await response.Content.ReadAsStringAsync())["server"]);
        var line = await proxy.AccessLog.WaitForLineAsync(l => l.Contains("/outside"), "the access log line");
        Assert.Contains(" 200 - ", line);
        Assert.Contains("PassthroughCluster", line);
    }
}
