using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Configuration;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Health;

/// <summary>The application's readiness probe drives /healthz/ready and the health the proxy reports to the control plane.</summary>
public sealed class ReadinessTests
{
    private const int AppPort = 8080;

    [Theory]
    [InlineData("tcp:8080")]
    [InlineData("http:8080:/healthz")]
    public async Task AppBecomesReady_ReadinessEndpointAndControlPlaneFollow(string probe)
    {
        var net = TestSubnet.Next();
        var podIp = net.Address(2);
        await using var controlPlane = await FakeControlPlane.StartAsync(net.ControlPlane);
        controlPlane.SetSnapshot("web-0.default", Full("1"));
        Assert.True(ProxyOptionsParser.TryParseReadiness(probe, out var readiness));
        await using var proxy = await TestProxy.StartAsync(TestProxy.Options(podIp, controlPlane.Address, "web-0") with { Readiness = readiness });
        await proxy.WaitForVersionAsync("1");
        using var http = new HttpClient();
        var ready = new Uri(proxy.Readiness, "/healthz/ready");

        await controlPlane.WaitForRequestAsync("web-0.default", r => r.Health == WorkloadHealth.Unhealthy, "the proxy to report the app unhealthy");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(ready)).StatusCode);
        Assert.Equal(WorkloadHealth.Unknown, controlPlane.Requests("web-0.default")[0].Health);

        await using var app = await HttpUpstream.StartAsync(podIp, AppPort, "web");

        await controlPlane.WaitForRequestAsync("web-0.default", r => r.Health == WorkloadHealth.Healthy, "the proxy to report the app healthy");
        await Eventually.WaitAsync(
            async () => (await http.GetAsync(ready)).StatusCode == HttpStatusCode.OK ? "ready" : null,
            "/healthz/ready to answer 200");
        var report = controlPlane.Requests("web-0.default").Last(r => r.Health == WorkloadHealth.Healthy);
        Assert.Equal("1", report.AckedVersion);
        Assert.Equal("", report.ResponseNonce);
    }
}
