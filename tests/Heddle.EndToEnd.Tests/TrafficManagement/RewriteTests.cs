using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>HTTPRewrite: httpbin reports the path and Host it received.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class RewriteTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task UriRewrite_ReplacesTheMatchedPrefix_KeepsQuery()
    {
        using var client = _mesh.ClientOf("client");

        var reply = await GetJsonAsync(client, "http://rewrites:8000/old-get?x=1");

        Assert.EndsWith("/get?x=1", reply.GetProperty("url").GetString());
    }

    [Fact]
    public async Task UriRegexRewrite_SubstitutesGroups()
    {
        using var client = _mesh.ClientOf("client");

        var reply = await GetJsonAsync(client, "http://rewrites:8000/service/reviews/v1/items");

        Assert.EndsWith("/anything/v1/items/reviews", reply.GetProperty("url").GetString());
    }

    [Fact]
    public async Task AuthorityRewrite_ChangesTheHostHttpbinSees()
    {
        using var client = _mesh.ClientOf("client");

        var reply = await GetJsonAsync(client, "http://rewrites:8000/headers");

        Assert.Equal("rewritten.example", reply.GetProperty("headers").GetProperty("Host").GetString());
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        var text = await client.GetStringAsync(url);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
