using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>Headers set, added and removed per route and per destination; httpbin's /headers echoes what it received.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class HeaderManipulationTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task RequestHeaders_SetAddAndRemove_ReachHttpbin()
    {
        using var client = _mesh.ClientOf("client");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://headers:8000/headers");
        request.Headers.Add("x-drop-me", "secret");
        request.Headers.Add("test", "false");

        using var response = await client.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var headers = doc.RootElement.GetProperty("headers");

        Assert.Equal("true", headers.GetProperty("Test").GetString());
        Assert.Equal("v1", headers.GetProperty("X-Destination").GetString());
        Assert.False(headers.TryGetProperty("X-Drop-Me", out _), "x-drop-me should have been removed");
    }

    [Fact]
    public async Task ResponseHeaders_RouteAndDestinationChanges_ReachTheClient()
    {
        using var client = _mesh.ClientOf("client");

        using var response = await client.GetAsync("http://headers:8000/response-headers?foo=bar&kept=yes");

        Assert.False(response.Headers.Contains("foo") || response.Content.Headers.Contains("foo"), "foo should have been removed");
        Assert.Equal("yes", response.Headers.GetValues("kept").Single());
        Assert.Equal("headers", response.Headers.GetValues("x-route").Single());
        Assert.Equal("headers-v1", response.Headers.GetValues("x-served-by").Single());
    }
}
