using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>Istio's CorsPolicy example: the sidecar answers preflights from allowed origins and decorates actual requests.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class CorsTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task Preflight_FromAllowedOrigin_AnsweredBySidecarWithPolicy()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/anything/preflight");
        using var request = new HttpRequestMessage(HttpMethod.Options, "http://cors:8000" + path);
        request.Headers.Add("Origin", "https://example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://example.com", response.Headers.GetValues("access-control-allow-origin").Single());
        Assert.Equal("POST,GET", response.Headers.GetValues("access-control-allow-methods").Single());
        Assert.Equal("X-Foo-Bar", response.Headers.GetValues("access-control-allow-headers").Single());
        Assert.Equal("86400", response.Headers.GetValues("access-control-max-age").Single());
        Assert.False(response.Headers.Contains("access-control-allow-credentials"));
        // The sidecar answered: its access-log line names no upstream cluster.
        var line = await AccessLogLines.WaitAsync(_mesh, "client-0", path);
        Assert.DoesNotContain("outbound|", line);
    }

    [Fact]
    public async Task ActualRequest_FromAllowedOrigin_GetsAllowOrigin()
    {
        using var client = _mesh.ClientOf("client");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://cors:8000/get");
        request.Headers.Add("Origin", "https://example.com");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://example.com", response.Headers.GetValues("access-control-allow-origin").Single());
    }

    [Fact]
    public async Task Preflight_FromOtherOrigin_IsForwardedToHttpbin()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/anything/other-origin");
        using var request = new HttpRequestMessage(HttpMethod.Options, "http://cors:8000" + path);
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await client.SendAsync(request);

        var line = await AccessLogLines.WaitAsync(_mesh, "client-0", path);
        Assert.Contains("outbound|8000||cors.default.svc.cluster.local", line);
    }
}
