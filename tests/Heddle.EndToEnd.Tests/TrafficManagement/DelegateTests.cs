using System.Net;
using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>VirtualService delegate (testdata/traffic/delegates.yaml): the delegate's routes apply only under the root
/// route's match, each narrowing it.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class DelegateTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task Delegate_RequestUnderRootMatch_TakesTheDelegateRoutes()
    {
        using var client = _mesh.ClientOf("client");

        // The delegate's /api/headers route: rewritten to httpbin's /headers, with the delegate's header set.
        using var headers = new HttpRequestMessage(HttpMethod.Get, "http://delegates:8000/api/headers");
        headers.Headers.Add("x-team", "blue");
        using var forwarded = await client.SendAsync(headers);
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        using var echo = JsonDocument.Parse(await forwarded.Content.ReadAsStringAsync());
        Assert.Equal("team", echo.RootElement.GetProperty("headers").GetProperty("X-Delegated").GetString());

        // The delegate's route without a match inherits the root's: /api/... for team blue only.
        using var other = new HttpRequestMessage(HttpMethod.Get, "http://delegates:8000/api/other");
        other.Headers.Add("x-team", "blue");
        using var caught = await client.SendAsync(other);
        Assert.Equal((HttpStatusCode)418, caught.StatusCode);
        Assert.Equal("team catch-all", await caught.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Delegate_RequestOutsideRootMatch_NeverReachesTheDelegate()
    {
        using var client = _mesh.ClientOf("client");

        // Without the root's header the delegate's routes do not apply, even on their own path.
        using var reply = await client.GetAsync("http://delegates:8000/api/headers");

        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Equal("not delegated", await reply.Content.ReadAsStringAsync());
    }
}
