using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using Heddle.Proxy.Upstreams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Upstreams;

/// <summary>connectionPool.http.maxRequestsPerConnection: an HTTP/1.1 upstream connection, and an HTTP/2 connection to a
/// peer sidecar, carries at most that many requests, seen from real upstreams that record which connection each
/// request came on.</summary>
public sealed class MaxRequestsPerConnectionTests : IAsyncLifetime
{
    private const int Port = 8000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private readonly ConcurrentQueue<(string Connection, string? Close)> _requests = new();
    private readonly ConcurrentQueue<(string Connection, string Path)> _h2Requests = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private WebApplication _upstream = null!;
    private WebApplication _h2Upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = await StartUpstreamAsync(_net.Address(10), 8080);
        _h2Upstream = await StartH2UpstreamAsync(_net.Address(11), 15006);
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        var limited = Cluster(ClusterName("limited", Port), Endpoint(_net.Address(10).ToString(), 8080));
        limited.Cluster.ConnectionPool = new ConnectionPoolLimits { MaxRequestsPerConnection = 2 };
        var open = Cluster(ClusterName("open", Port), Endpoint(_net.Address(10).ToString(), 8080));
        // An endpoint fronted by a sidecar: gRPC's hop is h2c, one multiplexed connection.
        var peer = Endpoint(_net.Address(11).ToString(), 8080, sidecar: $"{_net.Address(11)}:15006");
        var limitedH2 = Cluster(ClusterName("limited-h2", Port), peer);
        limitedH2.Cluster.ConnectionPool = new ConnectionPoolLimits { MaxRequestsPerConnection = 2 };
        var openH2 = Cluster(ClusterName("open-h2", Port), peer);
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            limited,
            open,
            limitedH2,
            openH2,
            VirtualHost("limited", Port, Route(ClusterName("limited", Port))),
            VirtualHost("open", Port, Route(ClusterName("open", Port))),
            VirtualHost("limited-h2", Port, Route(ClusterName("limited-h2", Port))),
            VirtualHost("open-h2", Port, Route(ClusterName("open-h2", Port)))));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _controlPlane.DisposeAsync();
        await _upstream.DisposeAsync();
        await _h2Upstream.DisposeAsync();
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
    public async Task MaxRequestsPerConnection_Two_SidecarHop_SixRequestsUseThreeHttp2Connections()
    {
        using var http = _proxy.CreateProxiedClient();

        for (var i = 0; i < 6; i++)
        {
            using var response = await GrpcAsync(http, $"http://limited-h2:{Port}/get");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var perConnection = _h2Requests.GroupBy(r => r.Connection).Select(g => g.Count()).ToArray();
        Assert.Equal([2, 2, 2], perConnection);
    }

    [Fact]
    public async Task MaxRequestsPerConnection_Two_SidecarHop_InFlightRequestFinishesOnRetiredConnection()
    {
        using var http = _proxy.CreateProxiedClient();

        // The first request stays in flight on the first connection; the second one uses up that connection.
        var held = GrpcAsync(http, $"http://limited-h2:{Port}/hold");
        await _held.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using (var second = await GrpcAsync(http, $"http://limited-h2:{Port}/get"))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        // New requests go to a new connection while the held one is still open.
        for (var i = 0; i < 2; i++)
        {
            using var response = await GrpcAsync(http, $"http://limited-h2:{Port}/get");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        _release.SetResult();
        using var first = await held;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("held", await first.Content.ReadAsStringAsync());

        var requests = _h2Requests.ToArray();
        Assert.Equal(4, requests.Length);
        Assert.Equal(2, requests.Select(r => r.Connection).Distinct().Count());
        var heldConnection = requests.Single(r => r.Path == "/hold").Connection;
        Assert.Equal(2, requests.Count(r => r.Connection == heldConnection));
    }

    [Fact]
    public async Task NoLimit_SidecarHop_SequentialRequestsShareOneHttp2Connection()
    {
        using var http = _proxy.CreateProxiedClient();

        for (var i = 0; i < 4; i++)
        {
            using var response = await GrpcAsync(http, $"http://open-h2:{Port}/get");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(_h2Requests.Select(r => r.Connection).Distinct());
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

    /// <summary>Stands in for a peer sidecar's inbound listener: HTTP/2 only, records each request's connection.</summary>
    /// <summary>A request that keeps HTTP/2 on the sidecar hop (gRPC); HTTP/1.1 requests keep HTTP/1.1 there.</summary>
    private static Task<HttpResponseMessage> GrpcAsync(HttpClient http, string url)
    {
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        return http.PostAsync(url, content);
    }

    private async Task<WebApplication> StartH2UpstreamAsync(IPAddress address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.Run(async context =>
        {
            Assert.Equal("HTTP/2", context.Request.Protocol);
            _h2Requests.Enqueue((context.Connection.Id, context.Request.Path.Value ?? ""));
            if (context.Request.Path == "/hold")
            {
                _held.TrySetResult();
                await _release.Task;
                await context.Response.WriteAsync("held");
                return;
            }

            await context.Response.WriteAsync("ok");
        });
        await app.StartAsync();
        return app;
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
