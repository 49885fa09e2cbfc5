using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>Istio's "Mirroring" task: httpbin v1 answers every request, v2 receives a copy with the Host suffixed -shadow.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class MirroringTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;
    private readonly FlakyServer _flaky = fixture.Flaky;

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

    [Fact]
    public async Task ChunkedPost_AnsweredByPrimary_CopiedWholeToV2()
    {
        // httpbin's server answers 501 to a chunked body, so the primary here is the in-process flaky server; the
        // route mirrors to httpbin v2 (testdata/traffic/retries.yaml).
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/anything/mirror-chunked");
        var body = string.Concat(Enumerable.Repeat("chunk ", 1000));

        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://flaky:8080" + path) { Content = content };
        // No Content-Length: the body goes chunked.
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([body], _flaky.Bodies(path));
        // httpbin v2's sidecar received the copy with the whole body (its length is the bytes-received field) and
        // httpbin v2 answered it.
        var v2Line = await AccessLogLines.WaitAsync(_mesh, "httpbin-v2-0", path);
        Assert.Contains("\"POST ", v2Line);
        Assert.Contains($" 200 - {body.Length} ", v2Line);
        Assert.Contains("\"flaky-shadow:8080\"", v2Line);
    }
}
