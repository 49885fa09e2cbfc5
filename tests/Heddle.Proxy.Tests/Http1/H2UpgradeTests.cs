using System.Net;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Http1;

/// <summary>h2UpgradePolicy: HTTP/1.1 requests keep HTTP/1.1 on the sidecar hop unless the cluster says UPGRADE, seen
/// from a peer "sidecar" that records the method and version each request arrived in. The peer does not speak sidecar
/// links: it answers the link upgrade 200, once, and then gets plain HTTP/1.1 connections.</summary>
public sealed class H2UpgradeTests : IAsyncLifetime
{
    private const int Port = 8000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private readonly List<string> _protocols = [];
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private WebApplication _http1Peer = null!;
    private WebApplication _h2cPeer = null!;

    public async Task InitializeAsync()
    {
        // Kestrel serves h2c only on an HTTP/2-only endpoint: one peer per version.
        _http1Peer = await StartPeerAsync(_net.Address(11), HttpProtocols.Http1);
        _h2cPeer = await StartPeerAsync(_net.Address(12), HttpProtocols.Http2);

        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        var upgraded = Cluster(ClusterName("upgraded", Port), Endpoint(_net.Address(12).ToString(), 8080, sidecar: $"{_net.Address(12)}:15006"));
        upgraded.Cluster.H2Upgrade = true;
        var plain = Cluster(ClusterName("plain", Port), Endpoint(_net.Address(11).ToString(), 8080, sidecar: $"{_net.Address(11)}:15006"));
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            upgraded,
            plain,
            VirtualHost("upgraded", Port, Route(ClusterName("upgraded", Port))),
            VirtualHost("plain", Port, Route(ClusterName("plain", Port)))));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _controlPlane.DisposeAsync();
        await _http1Peer.DisposeAsync();
        await _h2cPeer.DisposeAsync();
    }

    [Fact]
    public async Task Http1Request_DoNotUpgradeByDefault_UpgradeSendsHttp2BetweenSidecars()
    {
        using var http = _proxy.CreateProxiedClient();

        for (var i = 0; i < 2; i++)
        {
            using var response = await http.GetAsync($"http://plain:{Port}/get");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await http.GetAsync($"http://upgraded:{Port}/get"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(["OPTIONS HTTP/1.1", "GET HTTP/1.1", "GET HTTP/1.1", "GET HTTP/2"], _protocols);
    }

    private async Task<WebApplication> StartPeerAsync(IPAddress address, HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, 15006, listen => listen.Protocols = protocols));
        var peer = builder.Build();
        peer.Run(context =>
        {
            lock (_protocols)
            {
                _protocols.Add(context.Request.Method + " " + context.Request.Protocol);
            }

            return context.Response.WriteAsync("ok");
        });
        await peer.StartAsync();
        return peer;
    }
}
