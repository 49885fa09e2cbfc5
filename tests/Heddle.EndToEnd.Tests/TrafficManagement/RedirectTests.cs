using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>HTTPRedirect and HTTPDirectResponse as Istio's reference shows them: the sidecar answers, httpbin is not asked.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class RedirectTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task Redirect_WithUriAndAuthority_Returns301ToNewLocation()
    {
        using var client = _mesh.ClientOf("client");

        using var response = await client.GetAsync("http://redirects:8000/v1/getProductRatings");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("http://newratings.default.svc.cluster.local/v1/bookRatings", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Redirect_WithSchemeAndCode_KeepsHostPathAndQuery()
    {
        using var client = _mesh.ClientOf("client");

        using var response = await client.GetAsync("http://redirects:8000/moved/page?a=1");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("https://redirects:8000/moved/page?a=1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task DirectResponse_AnswersStatusAndBody()
    {
        using var client = _mesh.ClientOf("client");

        using var response = await client.GetAsync("http://redirects:8000/unknown/thing");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unknown path", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OtherPaths_AreForwarded()
    {
        using var client = _mesh.ClientOf("client");

        using var response = await client.GetAsync("http://redirects:8000/get");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
