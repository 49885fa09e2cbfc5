using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>Istio's "Mirroring" task: httpbin v1 answers every request, v2 receives a copy with the Host suffixed -shadow.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class MirroringTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task Request_AnsweredByV1_CopiedToV2WithShadowHost()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/anything/mirror");

        using var response = await client.GetAsync("http://httpbin:8000" + path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var clientLine = await AccessLogLines.WaitAsync(_mesh, "client-0", path);
        Assert.Contains("outbound|8000|v1|httpbin.default.svc.cluster.local", clientLine);
        // httpbin v2's sidecar logs the copy it passed to httpbin v2, with the authority the copy carried.
        var v2Line = await AccessLogLines.WaitAsync(_mesh, "httpbin-v2-0", path);
        Assert.Contains("\"httpbin-shadow:8000\"", v2Line);
        Assert.Contains(" 200 ", v2Line);
    }

    [Fact]
    public async Task PostBody_IsCopiedToTheMirror()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/anything/mirror-post");

        using var response = await client.PostAsync("http://httpbin:8000" + path, new StringContent("copy me"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("copy me", await response.Content.ReadAsStringAsync());
        var v2Line = await AccessLogLines.WaitAsync(_mesh, "httpbin-v2-0", path);
        Assert.Contains("\"POST ", v2Line);
    }
}
