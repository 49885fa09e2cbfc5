using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>Retries against an upstream that answers 503, counting the attempts that reach it.</summary>
[Collection(TrafficMeshCollection.Name)]
public sealed class RetryTests(TrafficMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;
    private readonly FlakyServer _flaky = fixture.Flaky;

    [Fact]
    public async Task AlwaysFailing_WithThreeAttempts_TriesFourTimesThenURX()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/fail");

        using var response = await client.GetAsync("http://flaky:8080" + path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("failing on purpose", await response.Content.ReadAsStringAsync());
        Assert.Equal(4, _flaky.Count(path));
        var line = await AccessLogLines.WaitAsync(_mesh, "client-0", path);
        Assert.Contains(" 503 URX ", line);
    }

    [Fact]
    public async Task FailingTwice_ThenRecovering_AnswersTheThirdTry()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/recover/2");

        using var response = await client.GetAsync("http://flaky:8080" + path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("recovered", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, _flaky.Count(path));
    }

    [Fact]
    public async Task PostWithBody_IsReplayedOnEveryTry()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/fail");

        using var response = await client.PostAsync("http://flaky:8080" + path, new StringContent("ping"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(["ping", "ping", "ping", "ping"], _flaky.Bodies(path));
    }

    [Fact]
    public async Task NoRetryPolicy_GetsIstioDefault_ThreeTriesOn503()
    {
        using var client = _mesh.ClientOf("client");
        var path = AccessLogLines.Unique("/fail");

        using var response = await client.GetAsync("http://flaky-default:8080" + path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, _flaky.Count(path));
    }
}
