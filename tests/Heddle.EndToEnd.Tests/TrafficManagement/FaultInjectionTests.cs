using System.Diagnostics;
using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>Istio's "Fault Injection" task: a delay for one user, an abort for another, nothing for the rest.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class FaultInjectionTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task DelayForJason_HoldsTheRequestForTheFixedDelay_WithFlagDI()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/anything/delay");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://faults:8000" + path);
        request.Headers.Add("end-user", "jason");
        var stopwatch = Stopwatch.StartNew();

        using var response = await client.SendAsync(request);

        stopwatch.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1), $"answered after {stopwatch.Elapsed}, before the 1s delay");
        var line = await AccessLogLines.WaitAsync(_mesh, "client-0", path);
        Assert.Contains(" 200 DI ", line);
    }

    [Fact]
    public async Task AbortForKim_Returns500WithFlagFI_WithoutReachingHttpbin()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/anything/abort");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://faults:8000" + path);
        request.Headers.Add("end-user", "kim");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("fault filter abort", await response.Content.ReadAsStringAsync());
        var line = await AccessLogLines.WaitAsync(_mesh, "client-0", path);
        Assert.Contains(" 500 FI ", line);
    }

    [Fact]
    public async Task AbortOfHalf_AbortsAboutHalfOfAThousandRequests()
    {
        using var client = _mesh.ClientOf("client");
        const int total = 1000;
        int aborted = 0;
        for (int i = 0; i < total; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://faults:8000/status/200");
            request.Headers.Add("end-user", "sam");
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                aborted++;
            }
        }

        // 50% of 1,000: the standard deviation is about 16 requests, so ±60 is almost 4 sigma.
        Assert.InRange(aborted, 440, 560);
    }

    [Fact]
    public async Task OtherUsers_AreNeitherDelayedNorAborted()
    {
        using var client = _mesh.ClientOf("client");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://faults:8000/get");
        request.Headers.Add("end-user", "someone-else");
        var stopwatch = Stopwatch.StartNew();

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"took {stopwatch.Elapsed}");
    }
}
