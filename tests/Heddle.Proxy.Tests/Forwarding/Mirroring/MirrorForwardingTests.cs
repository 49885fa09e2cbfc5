using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Google.Protobuf;
using Grpc.Net.Client;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Grpc;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Forwarding.Mirroring;

/// <summary>
/// Mirrors of requests whose body has no declared length: a chunked HTTP/1.1 POST and a gRPC call reach a real mirror
/// server whole, after the primary destination got them, and a body above the limit is forwarded but not copied.
/// </summary>
public sealed class MirrorForwardingTests : IAsyncLifetime
{
    private const int WebPort = 8000;
    private const int EchoPort = 9000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private readonly ConcurrentQueue<Copy> _copies = new();
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private HttpUpstream _primary = null!;
    private GrpcUpstream _grpc = null!;
    private WebApplication _mirror = null!;

    public async Task InitializeAsync()
    {
        _primary = await HttpUpstream.StartAsync(_net.Address(10), 8080, "web-v1");
        _grpc = await GrpcUpstream.StartAsync(_net.Address(12), 9090, "echo-v1");
        _mirror = await StartMirrorAsync(_net.Address(11));
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);

        var web = ClusterName("web", WebPort, "v1");
        var webShadow = ClusterName("web", WebPort, "v2");
        var echo = ClusterName("echo", EchoPort, "v1");
        var echoShadow = ClusterName("echo", EchoPort, "v2");
        var webRoute = Route(web);
        webRoute.Mirrors.Add(new RouteMirror { Cluster = webShadow, PerMillion = 1_000_000 });
        var echoRoute = Route(echo);
        echoRoute.Mirrors.Add(new RouteMirror { Cluster = echoShadow, PerMillion = 1_000_000 });
        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            Cluster(web, Endpoint(_net.Address(10).ToString(), 8080)),
            Cluster(webShadow, Endpoint(_net.Address(11).ToString(), 8080)),
            Cluster(echo, Protocol.Grpc, Endpoint(_net.Address(12).ToString(), 9090)),
            Cluster(echoShadow, Protocol.Grpc, Endpoint(_net.Address(11).ToString(), 9090)),
            VirtualHost("web", WebPort, webRoute),
            VirtualHost("echo", EchoPort, echoRoute)));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _controlPlane.DisposeAsync();
        await _primary.DisposeAsync();
        await _grpc.DisposeAsync();
        await _mirror.DisposeAsync();
    }

    [Fact]
    public async Task ChunkedPost_PrimaryAnswers_MirrorGetsTheWholeBodyWithShadowHost()
    {
        using var http = _proxy.CreateProxiedClient();
        var body = string.Concat(Enumerable.Repeat("chunked body ", 2000));

        using var response = await http.PostAsync($"http://web:{WebPort}/chunked", new ChunkedContent(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, HttpUpstream.Parse(await response.Content.ReadAsStringAsync())["body"]);
        var copy = await WaitForCopyAsync("/chunked");
        Assert.Equal($"web-shadow:{WebPort}", copy.Host);
        Assert.Equal("POST", copy.Method);
        Assert.Equal(body, Encoding.UTF8.GetString(copy.Body));
    }

    [Fact]
    public async Task ChunkedPostAboveLimit_ReachesThePrimaryWhole_IsNotMirrored()
    {
        using var http = _proxy.CreateProxiedClient();
        var big = new string('x', 100 * 1024);

        using (var response = await http.PostAsync($"http://web:{WebPort}/too-big", new ChunkedContent(big)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(big, HttpUpstream.Parse(await response.Content.ReadAsStringAsync())["body"]);
        }

        // A later small request is mirrored; the big one never was.
        using (var response = await http.PostAsync($"http://web:{WebPort}/after", new ChunkedContent("small")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await WaitForCopyAsync("/after");
        Assert.DoesNotContain(_copies, c => c.Path == "/too-big");
    }

    [Fact]
    public async Task GrpcCall_AnsweredByPrimary_MirroredOverHttp2WithItsMessage()
    {
        using var channel = GrpcChannel.ForAddress($"http://echo:{EchoPort}", new GrpcChannelOptions { HttpHandler = _proxy.CreateTunnelHandler() });
        var echo = new Echo.EchoClient(channel);

        var reply = await echo.SayAsync(new EchoRequest { Text = "mirror me" });

        Assert.Equal("echo-v1", reply.Server);
        var copy = await WaitForCopyAsync("/heddle.test.Echo/Say");
        Assert.Equal("HTTP/2", copy.Protocol);
        Assert.Equal($"echo-shadow:{EchoPort}", copy.Host);
        Assert.StartsWith("application/grpc", copy.ContentType);
        // One gRPC message: a 5-byte prefix, then the serialized request.
        Assert.Equal(new EchoRequest { Text = "mirror me" }.ToByteArray(), copy.Body[5..]);
    }

    private async Task<Copy> WaitForCopyAsync(string path)
    {
        Copy? found = null;
        await Eventually.WaitAsync(() => (found = _copies.FirstOrDefault(c => c.Path == path)) is not null, "the copy of " + path);
        return found!;
    }

    /// <summary>The mirror: records each copy it gets (HTTP/1.1 on 8080, h2c on 9090) and answers 200.</summary>
    private async Task<WebApplication> StartMirrorAsync(IPAddress address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, 8080);
            k.Listen(address, 9090, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var request = context.Request;
            _copies.Enqueue(new Copy(request.Path.Value ?? "", request.Host.Value ?? "", request.Method, request.Protocol, request.ContentType ?? "", buffer.ToArray()));
            if (request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            {
                context.Response.ContentType = "application/grpc";
                context.Response.AppendTrailer("grpc-status", "0");
            }
        });
        await app.StartAsync();
        return app;
    }

    private sealed record Copy(string Path, string Host, string Method, string Protocol, string ContentType, byte[] Body);

    /// <summary>A body without a declared length: HTTP/1.1 sends it chunked.</summary>
    private sealed class ChunkedContent(string text) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            for (var offset = 0; offset < bytes.Length; offset += 4096)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(4096, bytes.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
