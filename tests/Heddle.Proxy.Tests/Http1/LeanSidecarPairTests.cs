using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Http1;

/// <summary>
/// Two sidecars on the lean path with a real application behind the server side: the hop stays HTTP/1.1 (over one
/// link between the sidecars), the mesh fields reach neither the application nor the client, both reporters count the request with the peer's workload,
/// and a stopped application is answered 503 UF by the inbound side.
/// </summary>
public sealed class LeanSidecarPairTests : IAsyncLifetime
{
    private const int ServicePort = SidecarPair.ServicePort;
    private const int AppPort = SidecarPair.AppPort;
    private const int DownPort = 8081;

    private SidecarPair _pair = null!;
    private TestProxy _client = null!;
    private TestProxy _server = null!;
    private HttpUpstream _app = null!;

    public async Task InitializeAsync()
    {
        _pair = await SidecarPair.StartAsync(TestSubnet.Next(), pair =>
        {
            var serverIp = pair.ServerIp.ToString();
            var web = ClusterName("web", ServicePort);
            var down = ClusterName("down", ServicePort);
            pair.ControlPlane.SetSnapshot("client-0.default", Full(
                "1",
                Cluster(web, Endpoint(serverIp, AppPort, pair.Inbound)),
                Cluster(down, Endpoint(serverIp, DownPort, pair.Inbound)),
                VirtualHost("web", ServicePort, Route(web)),
                VirtualHost("down", ServicePort, Route(down))));
            pair.ControlPlane.SetSnapshot("web-0.default", Full("1", Inbound(serverIp, (AppPort, Protocol.Http), (DownPort, Protocol.Http)), DenyAdmin()));
        });
        (_client, _server, _app) = (_pair.Client, _pair.Server, _pair.App);
    }

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    /// <summary>DENY /admin/* for requests that carry x-role: guest.</summary>
    private static Resource DenyAdmin()
    {
        var rule = new AuthorizationRule();
        var operation = new AuthorizationOperation();
        operation.Paths.Add("/admin/*");
        rule.To.Add(operation);
        var condition = new AuthorizationCondition { Key = "request.headers[x-role]" };
        condition.Values.Add("guest");
        rule.When.Add(condition);
        var policy = new AuthorizationPolicy { Name = "default.deny-admin", Action = AuthorizationPolicy.Types.Action.Deny };
        policy.Rules.Add(rule);
        var policies = new AuthorizationPolicies();
        policies.Policies.Add(policy);
        return new Resource { Name = "authorization", Authorization = policies };
    }

    [Fact]
    public async Task Request_MeshFieldsStayBetweenTheSidecars_ForgedOnesDropped()
    {
        using var http = _client.CreateProxiedClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://web:{ServicePort}/fields");
        request.Headers.TryAddWithoutValidation("x-heddle-inbound-port", "9999");
        request.Headers.TryAddWithoutValidation("x-heddle-peer-metadata", "forged");
        request.Headers.TryAddWithoutValidation("x-forwarded-client-cert", "By=forged");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = HttpUpstream.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("HTTP/1.1", seen["protocol"]);
        Assert.Equal("", seen["inbound-port"]);
        Assert.Equal("", seen["peer-metadata"]);
        Assert.False(response.Headers.Contains("x-heddle-peer-metadata"));
        // The pooled sidecar hop is an HTTP/1.1 connection of the lean path: a stream of the link to the peer.
        Assert.Equal(1, _client.Host.LeanConnections.For(_server.InboundSidecar, plaintext: false, linked: true).IdleCount);
    }

    [Fact]
    public async Task RequestsWithBodies_OverOneLinkStream_ReachTheApplicationWhole()
    {
        using var http = _client.CreateProxiedClient();

        // Bodies larger than a link frame arrive in several reads of the server's stream, after its head was consumed.
        for (var i = 0; i < 3; i++)
        {
            var body = new string((char)('a' + i), 40 * 1024);
            using var response = await http.PostAsync($"http://web:{ServicePort}/upload{i}", new StringContent(body));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(body, HttpUpstream.Parse(await response.Content.ReadAsStringAsync())["body"]);
        }
    }

    [Fact]
    public async Task ConcurrentRequests_ShareOneLinkToThePeerSidecar()
    {
        using var http = _client.CreateProxiedClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => http.GetAsync($"http://web:{ServicePort}/r{i}")));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(32, _app.Requests);
        // Many kept-alive HTTP/1.1 connections of the lean path as both sidecars see them, one TCP connection between them.
        Assert.Single(SocketTable.ConnectionsTo([_server.PodIp.ToString()], 15006));
        Assert.InRange(_client.Host.LeanConnections.For(_server.InboundSidecar, plaintext: false, linked: true).IdleCount, 2, responses.Length);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Request_BothReportersCountIt_WithThePeersWorkload()
    {
        using var http = _client.CreateProxiedClient();

        using var response = await http.GetAsync($"http://web:{ServicePort}/counted");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.WaitAsync(async () => Series(await ScrapeAsync(_server), "destination") ? "seen" : null, "the destination reporter's series");
        // The client side names the destination workload from discovery's endpoint fields, which this snapshot leaves out.
        var client = await ScrapeAsync(_client);
        Assert.True(Series(client, "source", destination: "unknown"), client);
    }

    [Fact]
    public async Task DenyPolicy_EvaluatedOnTheLeanPath_403ForTheMatchingRequestOnly()
    {
        using var http = _client.CreateProxiedClient();
        using var guest = new HttpRequestMessage(HttpMethod.Get, $"http://web:{ServicePort}/admin/users");
        guest.Headers.TryAddWithoutValidation("x-role", "guest");
        using var admin = new HttpRequestMessage(HttpMethod.Get, $"http://web:{ServicePort}/admin/users");
        admin.Headers.TryAddWithoutValidation("x-role", "admin");

        using var denied = await http.SendAsync(guest);
        using var allowed = await http.SendAsync(admin);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("RBAC: access denied", await denied.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(1, _app.Requests);
        // The server sidecar forwarded the allowed request itself (its lean pool holds the application connection).
        Assert.Equal(1, _server.Host.LeanConnections.For($"{_server.PodIp}:{AppPort}").IdleCount);
    }

    [Fact]
    public async Task StoppedApplication_InboundAnswers503ConnectFailure()
    {
        using var http = _client.CreateProxiedClient();

        using var response = await http.GetAsync($"http://down:{ServicePort}/nobody");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream connect error: connection failure\n", await response.Content.ReadAsStringAsync());
        var inbound = await _server.AccessLog.WaitForLineAsync(l => l.Contains("/nobody"), "the server sidecar's line");
        Assert.Contains(" 503 UF ", inbound);
        Assert.Contains("inbound|8081|http|", inbound);
    }

    private static bool Series(string text, string reporter, string destination = "web") =>
        text.Split('\n').Any(line => line.StartsWith("istio_requests_total{", StringComparison.Ordinal)
            && line.Contains($"reporter=\"{reporter}\"", StringComparison.Ordinal)
            && line.Contains("source_workload=\"client\"", StringComparison.Ordinal)
            && line.Contains($"destination_workload=\"{destination}\"", StringComparison.Ordinal)
            && line.Contains("response_code=\"200\"", StringComparison.Ordinal));

    private static async Task<string> ScrapeAsync(TestProxy proxy)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync($"http://{proxy.PodIp}:{proxy.Host.Options.MetricsPort}/stats/prometheus");
    }
}
