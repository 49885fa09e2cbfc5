using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using Heddle.Proxy.Upstreams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Upstreams;

/// <summary>connectionPool.http.maxRequestsPerConnection: an HTTP/1.1 upstream connection carries at most that many
/// requests, seen from a real upstream that records which connection each request came on.</summary>
public sealed class MaxRequestsPerConnectionTests : IAsyncLifetime
{
    private const int Port = 8000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private readonly ConcurrentQueue<(string Connection, string? Close)> _requests = new();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private WebApplication _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = await StartUpstreamAsync(_net.Address(10), 8080);
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        var limited = Cluster(ClusterName("limited", Port), Endpoint(_net.Address(10).ToString(), 8080));
        limited.Cluster.ConnectionPool = new ConnectionPoolLimits { MaxRequestsPerConnection = 2 };
        var open = Cluster(ClusterName("open", Port), Endpoint(_net.Address(10).ToString(), 8080));
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            limited,
            open,
            VirtualHost("limited", Port, Route(ClusterName("limited", Port))),
            VirtualHost("open", Port, Route(ClusterName("open", Port)))));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _controlPlane.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task MaxRequestsPerConnection_Two_SixRequestsUseThreeConnections()
    {
        using var http = _proxy.CreateProxiedClient();

        for (var i = 0; i < 6; i++)
        {
            using var response = await http.GetAsync($"http://limited:{Port}/get");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var requests = _requests.ToArray();
        var perConnection = requests.GroupBy(r => r.Connection).Select(g => g.Count()).ToArray();
        Assert.Equal([2, 2, 2], perConnection);
        // The second request of each connection asked the upstream to close it.
        Assert.Equal([null, "close", null, "close", null, "close"], requests.Select(r => r.Close));
    }

    [Fact]
    public async Task NoLimit_SequentialRequestsShareOneConnection()
    {
        using var http = _proxy.CreateProxiedClient();

        for (var i = 0; i < 4; i++)
        {
            using var response = await http.GetAsync($"http://open:{Port}/get");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(_requests.Select(r => r.Connection).Distinct());
    }

    [Fact]
    public void RequestLimitStream_HeaderBlockSplitAcrossWrites_InsertsConnectionClose()
    {
        using var sink = new MemoryStream();
        using var stream = new RequestLimitStream(sink, maxRequests: 1);

        stream.Write("GET /a HTTP/1.1\r\nHost: x\r"u8);
        stream.Write("\n\r\nbody"u8);

        Assert.Equal("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nbody", Encoding.ASCII.GetString(sink.ToArray()));
    }

    private async Task<WebApplication> StartUpstreamAsync(IPAddress address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        var app = builder.Build();
        app.Run(async context =>
        {
            var connection = context.Request.Headers.Connection.ToString();
            _requests.Enqueue((context.Connection.Id, connection.Length == 0 ? null : connection));
            await context.Response.WriteAsync("ok");
        });
        await app.StartAsync();
        return app;
    }
}
