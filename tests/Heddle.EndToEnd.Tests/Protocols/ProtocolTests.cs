using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Heddle.EndToEnd.Tests.Echo;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Protocols;

/// <summary>HTTP/1.1, HTTP/2 and gRPC from a client through its sidecar, the peer sidecar, to a real server.</summary>
[Collection(RoutingMeshCollection.Name)]
public sealed class ProtocolTests(RoutingMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task Http1_HttpbinStatusAndStreaming_PassThroughUnchanged()
    {
        using var client = _mesh.ClientOf("client");

        using var teapot = await client.GetAsync("http://httpbin:8000/status/418");
        Assert.Equal((HttpStatusCode)418, teapot.StatusCode);

        // A chunked response of several JSON lines.
        string streamed = await client.GetStringAsync("http://httpbin.default:8000/stream/5");
        Assert.Equal(5, streamed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        using var post = await client.PostAsync("http://httpbin:8000/post", new StringContent(new string('x', 100_000)));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains(new string('x', 1000), await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http1_ConnectTunnel_CarriesHttp1Requests()
    {
        using var client = new HttpClient(ConnectTunnel.Handler(_mesh.PodIp("client")));
        string body = await client.GetStringAsync("http://httpbin:8000/get?tunnel=yes");
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal("yes", json.RootElement.GetProperty("args").GetProperty("tunnel").GetString());
    }

    [Fact]
    public async Task Http2_PriorKnowledgeInsideConnect_ReachesH2cServer()
    {
        using var client = new HttpClient(ConnectTunnel.Handler(_mesh.PodIp("client")));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://h2-echo:8081/protocol")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.StartsWith("HTTP/2 via h2-echo:8081", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_UnaryAndStreamingCalls_WorkWithTrailersAndStatus()
    {
        using var channel = GrpcChannel.ForAddress("http://grpc-echo:50051", new GrpcChannelOptions
        {
            HttpHandler = ConnectTunnel.Handler(_mesh.PodIp("client")),
        });
        var echo = new Echo.Echo.EchoClient(channel);

        var call = echo.SayAsync(new EchoRequest { Text = "hello" });
        var reply = await call;
        Assert.Equal("hello", reply.Text);
        Assert.Equal("said", call.GetTrailers().GetValue("echo-trailer"));

        var counted = new List<string>();
        using (var stream = echo.Count(new CountRequest { To = 20 }))
        {
            await foreach (var item in stream.ResponseStream.ReadAllAsync())
            {
                counted.Add(item.Text);
            }
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), counted);

        using (var collect = echo.Collect())
        {
            foreach (string word in new[] { "a", "b", "c" })
            {
                await collect.RequestStream.WriteAsync(new EchoRequest { Text = word });
            }

            await collect.RequestStream.CompleteAsync();
            Assert.Equal("a,b,c", (await collect).Text);
        }

        using var failing = echo.Collect();
        await failing.RequestStream.WriteAsync(new EchoRequest { Text = "fail" });
        await failing.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await failing);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("asked to fail", error.Status.Detail);
    }

    [Fact]
    public async Task Grpc_MirroredCall_AnsweredOnce_CopyReachesTheMirrorWithItsMessage()
    {
        using var channel = GrpcChannel.ForAddress("http://grpc-echo:50051", new GrpcChannelOptions
        {
            HttpHandler = ConnectTunnel.Handler(_mesh.PodIp("client")),
        });
        var echo = new Echo.Echo.EchoClient(channel);
        var text = "mirror " + Guid.NewGuid().ToString("N");

        var reply = await echo.SayAsync(new EchoRequest { Text = text }, new Metadata { { "x-mirror", "yes" } });

        Assert.Equal(text, reply.Text);
        // The mirror's sidecar logged the copy: HTTP/2, the -shadow authority, and the whole message (5-byte gRPC
        // prefix plus the serialized request) as the bytes it received.
        var length = 5 + new EchoRequest { Text = text }.CalculateSize();
        var line = await _mesh.Output.WaitForLineAsync(
            l => l.Contains("grpc-echo-0/proxy", StringComparison.Ordinal) && l.Contains("\"grpc-echo-shadow:50051\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the mirror copy in grpc-echo's access log");
        Assert.Contains("/heddle.tests.echo.Echo/Say", line, StringComparison.Ordinal);
        Assert.Contains($" 200 - {length} ", line, StringComparison.Ordinal);
    }
}
