using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>
/// The access log says why a request failed, with Envoy's response flags: no endpoint (UH), a connection that cannot
/// be opened (UF), an upstream that drops the connection (UC), a client that goes away (DC). NR, UO, UT, URX, FI and
/// DI have their own tests (TrafficPolicyTests, RequestTimeoutTests, RetryTests, FaultInjectionTests).
/// </summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class ResponseFlagTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task ServiceWithoutEndpoints_503UH()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/nobody");

        using var response = await client.GetAsync("http://nobody:8000" + path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var line = await AccessLogLines.WaitAsync(_mesh, "client-0", path);
        Assert.Contains(" 503 UH ", line);
    }

    [Fact]
    public async Task EndpointRefusesConnections_503UF_AfterTheDefaultRetries()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/closed");

        using var response = await client.GetAsync("http://closed.example" + path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var line = await AccessLogLines.WaitAsync(_mesh, "client-0", path);
        // Istio's default policy retries connect failures twice, then gives up: UF and URX.
        Assert.Contains(" 503 UF,URX ", line);
        Assert.Contains("outbound|80||closed.example", line);
    }

    [Fact]
    public async Task UpstreamDropsTheConnection_ServerSidecarLogsUC()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/reset");

        using var response = await client.GetAsync("http://flaky:8080" + path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // The flaky pod's sidecar saw its application drop the connection before answering.
        var serverLine = await AccessLogLines.WaitAsync(_mesh, "flaky-0", path);
        Assert.Contains(" 503 UC ", serverLine);
    }

    [Fact]
    public async Task ClientGoesAwayBeforeTheAnswer_DC()
    {
        using var client = _mesh.ClientOf("client");
        // httpbin answers /delay/3 after three seconds; the query makes the log line this request's own.
        var path = $"/delay/3?dc={Guid.NewGuid():N}";
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("http://httpbin:8000" + path, cancel.Token));

        var line = await AccessLogLines.WaitAsync(_mesh, "client-0", path);
        Assert.Contains(" DC ", line);
    }
}
