using System.Diagnostics;
using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>Istio's "Request Timeouts" task: a route with <c>timeout: 0.5s</c> in front of httpbin's /delay.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class RequestTimeoutTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task SlowUpstream_BeyondRouteTimeout_Returns504WithFlagUT()
    {
        using var client = _mesh.ClientOf("client");
        var stopwatch = Stopwatch.StartNew();

        using var response = await client.GetAsync("http://timeouts:8000/delay/3?timeout-test");

        stopwatch.Stop();
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout\n", await response.Content.ReadAsStringAsync());
        // Half a second, with room for a loaded machine, but well short of the upstream's three seconds.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromMilliseconds(2500));
        var line = await AccessLogLines.WaitAsync(_mesh, "client-0", "/delay/3?timeout-test");
        Assert.Contains(" 504 UT ", line);
    }

    [Fact]
    public async Task FastUpstream_WithinRouteTimeout_Answers()
    {
        using var client = _mesh.ClientOf("client");

        using var response = await client.GetAsync("http://timeouts:8000/delay/0");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
