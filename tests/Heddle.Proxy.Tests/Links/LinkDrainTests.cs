using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Links;

/// <summary>
/// A server sidecar that drains (stops) while a client sidecar holds a link to it with idle streams in its pool: the
/// server asks for no more streams and closes the idle ones, the client closes the link, and the server's shutdown
/// ends without waiting for its drain timeout (two minutes here).
/// </summary>
public sealed class LinkDrainTests : IAsyncLifetime
{
    private const int ServicePort = 8000;
    private const int AppPort = 8080;

    private readonly TestSubnet _net = TestSubnet.Next();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _client = null!;
    private TestProxy _server = null!;
    private HttpUpstream _app = null!;

    public async Task InitializeAsync()
    {
        var clientIp = _net.Address(2);
        var serverIp = _net.Address(3);
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        _app = await HttpUpstream.StartAsync(serverIp, AppPort, "web-v1");
        var web = ClusterName("web", ServicePort);
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            Cluster(web, Endpoint(serverIp.ToString(), AppPort, $"{serverIp}:15006")),
            VirtualHost("web", ServicePort, Route(web))));
        _controlPlane.SetSnapshot("web-0.default", Full("1", Inbound(serverIp.ToString(), (AppPort, Protocol.Http))));
        _client = await TestProxy.StartAsync(clientIp, _controlPlane.Address, "client-0");
        _server = await TestProxy.StartAsync(TestProxy.Options(serverIp, _controlPlane.Address, "web-0") with { DrainTimeout = TimeSpan.FromMinutes(2) });
        await _client.WaitForVersionAsync("1");
        await _server.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _app.DisposeAsync();
        await _controlPlane.DisposeAsync();
    }

    [Fact]
    public async Task ServerDrains_IdleLinkCloses_ShutdownDoesNotWaitForTheDrainTimeout()
    {
        using var http = _client.CreateProxiedClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => http.GetAsync($"http://web:{ServicePort}/r{i}")));
        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Single(SocketTable.ConnectionsTo([_server.PodIp.ToString()], 15006));

        await Eventually.Completes(_server.Host.StopAsync());

        Assert.Empty(SocketTable.ConnectionsTo([_server.PodIp.ToString()], 15006));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
