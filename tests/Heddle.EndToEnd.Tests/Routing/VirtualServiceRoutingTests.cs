using System.Net.Http.Json;
using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Routing;

/// <summary>The sample's promise on real processes: a VirtualService splits traffic by weight and routes by header and path.</summary>
[Collection(RoutingMeshCollection.Name)]
public sealed class VirtualServiceRoutingTests(RoutingMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task Request_WithEndUserJason_AlwaysReachesV2()
    {
        using var client = _mesh.ClientOf("client");
        for (int i = 0; i < 50; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://echo/hello");
            request.Headers.Add("end-user", "jason");
            var reply = await SendAsync(client, request);
            Assert.Equal("v2", reply.GetProperty("version").GetString());
        }
    }

    [Fact]
    public async Task Request_WithPrefixV1_AlwaysReachesV1()
    {
        using var client = _mesh.ClientOf("client");
        for (int i = 0; i < 50; i++)
        {
            var reply = await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "http://echo.default.svc.cluster.local/v1/anything"));
            Assert.Equal("v1", reply.GetProperty("version").GetString());
            Assert.Equal("/v1/anything", reply.GetProperty("path").GetString());
        }
    }

    [Fact]
    public async Task Requests_WithoutHeader_SplitEightyTwenty()
    {
        using var client = _mesh.ClientOf("client");
        const int total = 1000;
        int v2 = 0;
        for (int i = 0; i < total; i++)
        {
            var reply = await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "http://echo/"));
            if (reply.GetProperty("version").GetString() == "v2")
            {
                v2++;
            }
        }

        // 20% of 1,000: the standard deviation is about 13 requests, so ±50 is almost 4 sigma.
        Assert.InRange(v2, 150, 250);
    }

    [Fact]
    public async Task Request_KeepsHostAndForwardsBody()
    {
        using var client = _mesh.ClientOf("client");
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://echo.default/v1/post") { Content = new StringContent("ping") };
        var reply = await SendAsync(client, request);
        Assert.Equal("POST", reply.GetProperty("method").GetString());
        Assert.Equal("ping", reply.GetProperty("body").GetString());
        Assert.Equal("echo.default", reply.GetProperty("headers").GetProperty("host").GetString());
    }

    [Fact]
    public async Task Request_ForHostOutsideTheMesh_PassesThroughUnderAllowAny()
    {
        // Istio's default outbound policy (ALLOW_ANY): a host the mesh does not know goes to where the client asked.
        await using var outside = await OutsideServer.StartAsync("outside the mesh");
        using var client = _mesh.ClientOf("client");

        Assert.Equal("outside the mesh", await client.GetStringAsync($"http://127.0.0.1:{outside.Port}/"));
        await _mesh.Output.WaitForLineAsync(l => l.Contains($"127.0.0.1:{outside.Port}", StringComparison.Ordinal) && l.Contains("PassthroughCluster", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "an access-log line for the passthrough request");

        using var unknown = await client.GetAsync("http://no-such-service.invalid/");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, unknown.StatusCode);
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{request.RequestUri}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }
}
