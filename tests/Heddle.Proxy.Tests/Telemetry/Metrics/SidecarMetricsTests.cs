using System.Net;
using Heddle.Discovery;
using Heddle.Discovery.V1;
using Heddle.Proxy.Configuration;
using Heddle.Proxy.Tests.Infrastructure;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Telemetry.Metrics;

/// <summary>
/// A client sidecar and a server sidecar with real sockets: both report each request with Istio's metric names and
/// labels, each knowing the other workload through the peer-metadata exchange, on 15090 and (merged with the
/// application's metrics) on 15020.
/// </summary>
public sealed class SidecarMetricsTests : IAsyncLifetime
{
    private const int ServicePort = SidecarPair.ServicePort;
    private const int AppPort = SidecarPair.AppPort;

    private SidecarPair _pair = null!;
    private TestProxy _client = null!;
    private TestProxy _server = null!;

    public async Task InitializeAsync()
    {
        _pair = await SidecarPair.StartAsync(
            TestSubnet.Next(),
            pair =>
            {
                var name = ClusterName("web", ServicePort);
                var endpoint = Endpoint(pair.ServerIp.ToString(), AppPort, pair.Inbound);
                endpoint.Workload = "web-v1";
                endpoint.WorkloadNamespace = "default";
                endpoint.ServiceAccount = "web";
                endpoint.Labels.Add("app", "web");
                endpoint.Labels.Add("version", "v1");
                var cluster = Cluster(name, endpoint);
                cluster.Cluster.Service = "web.default.svc.cluster.local";
                cluster.Cluster.ServiceName = "web";
                cluster.Cluster.ServiceNamespace = "default";
                pair.ControlPlane.SetSnapshot("client-0.default", Full(
                    "1",
                    cluster,
                    VirtualHost("web", ServicePort, Route(name)),
                    Settings(ProxySettings.Types.OutboundTrafficPolicy.RegistryOnly)));
                pair.ControlPlane.SetSnapshot("web-0.default", Full("1", Inbound(pair.ServerIp.ToString(), (AppPort, Protocol.Http))));
            },
            client: options => options with
            {
                Workload = "client",
                Labels = new Dictionary<string, string> { ["app"] = "client", ["version"] = "v2" },
            },
            server: options => options with
            {
                Workload = "web-v1",
                ServiceAccount = "web",
                Labels = new Dictionary<string, string> { ["app"] = "web", ["version"] = "v1" },
                AppMetrics = new AppMetricsSpec(AppPort, "/metrics"),
            });
        (_client, _server) = (_pair.Client, _pair.Server);
    }

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    [Fact]
    public async Task Requests_ThroughSidecarPair_BothReportersCountThemWithPeerWorkloads()
    {
        using var http = _client.CreateProxiedClient();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.GetAsync($"http://web:{ServicePort}/hello");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var noRoute = await http.GetAsync("http://nowhere:9999/");
        Assert.Equal(HttpStatusCode.BadGateway, noRoute.StatusCode);

        var client = await ScrapeAsync(_client.PodIp, MeshPorts.ProxyMetrics);
        var source = Sample(client, "istio_requests_total", "reporter=\"source\"", "response_code=\"200\"");
        Assert.EndsWith(" 3", source);
        Assert.Contains("source_workload=\"client\",source_workload_namespace=\"default\",source_principal=\"unknown\",source_app=\"client\",source_version=\"v2\",source_cluster=\"Kubernetes\"", source);
        Assert.Contains("destination_workload=\"web-v1\",destination_workload_namespace=\"default\",destination_principal=\"unknown\",destination_app=\"web\",destination_version=\"v1\"", source);
        Assert.Contains("destination_service=\"web.default.svc.cluster.local\",destination_service_name=\"web\",destination_service_namespace=\"default\"", source);
        Assert.Contains("request_protocol=\"http\"", source);
        Assert.Contains("response_flags=\"-\",connection_security_policy=\"unknown\"", source);
        var unrouted = Sample(client, "istio_requests_total", "response_code=\"502\"");
        Assert.Contains("response_flags=\"NR\"", unrouted);
        Assert.Contains("destination_workload=\"unknown\"", unrouted);
        Assert.Contains("destination_service=\"nowhere.default.svc.cluster.local\",destination_service_name=\"nowhere\"", unrouted);
        Assert.EndsWith(" 1", unrouted);
        Assert.EndsWith(" 3", Sample(client, "istio_request_duration_milliseconds_count", "response_code=\"200\""));
        Assert.EndsWith(" 3", Sample(client, "istio_request_duration_milliseconds_bucket", "response_code=\"200\"", "le=\"+Inf\""));

        // The server sidecar records a request once its response is sent, which can be just after the client has it.
        var destination = await Eventually.WaitAsync(
            async () => FindSample(await ScrapeAsync(_server.PodIp, MeshPorts.ProxyMetrics), "istio_requests_total", "reporter=\"destination\"") is { } line
                && line.EndsWith(" 3", StringComparison.Ordinal) ? line : null,
            "the server sidecar to count 3 requests");
        Assert.Contains("source_workload=\"client\",source_workload_namespace=\"default\",source_principal=\"unknown\",source_app=\"client\",source_version=\"v2\"", destination);
        Assert.Contains("destination_workload=\"web-v1\"", destination);
        Assert.Contains("destination_service=\"web.default.svc.cluster.local\",destination_service_name=\"web\",destination_service_namespace=\"default\"", destination);
        Assert.Contains("connection_security_policy=\"none\"", destination);
    }

    [Fact]
    public async Task PeerMetadata_BetweenSidecars_ReachesNeitherApplicationNorClient()
    {
        using var http = _client.CreateProxiedClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://web:{ServicePort}/hello");
        request.Headers.TryAddWithoutValidation(MeshHeaders.PeerMetadata, "workload=spoofed");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", HttpUpstream.Parse(await response.Content.ReadAsStringAsync())["peer-metadata"]);
        Assert.False(response.Headers.Contains(MeshHeaders.PeerMetadata));
        var server = await ScrapeAsync(_server.PodIp, MeshPorts.ProxyMetrics);
        Assert.DoesNotContain("spoofed", server);
    }

    [Fact]
    public async Task RequestWithoutRequestId_ThroughSidecarPair_OneGeneratedIdInBothAccessLogs()
    {
        using var http = _client.CreateProxiedClient();

        using var response = await http.GetAsync($"http://web:{ServicePort}/request-id");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outbound = await _client.AccessLog.WaitForLineAsync(l => l.Contains("/request-id"), "the client sidecar's access log line");
        var id = System.Text.RegularExpressions.Regex.Match(outbound, "\"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\"").Groups[1].Value;
        Assert.NotEqual("", id);
        var inbound = await _server.AccessLog.WaitForLineAsync(l => l.Contains("/request-id"), "the server sidecar's access log line");
        Assert.Contains($"\"{id}\"", inbound);
    }

    [Fact]
    public async Task MergedEndpoint_WithAppMetrics_ServesProxyAndApplicationMetrics()
    {
        var merged = await ScrapeAsync(_server.PodIp, MeshPorts.MergedMetrics);

        Assert.Contains("# TYPE istio_requests_total counter", merged);
        // The test application answers every path with what it saw: here, the scrape of its /metrics.
        Assert.Contains("path=/metrics", merged);
    }

    [Fact]
    public async Task AdminEndpoint_StatsPrometheus_ServesTheSameMetrics()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(_client.Admin, MeshPortsPath));

        Assert.Contains("# TYPE istio_request_duration_milliseconds histogram", text);
    }

    private const string MeshPortsPath = "/stats/prometheus";

    private static async Task<string> ScrapeAsync(IPAddress podIp, int port)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://{podIp}:{port}{MeshPortsPath}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    private static string Sample(string exposition, string name, params string[] labels) =>
        FindSample(exposition, name, labels) ?? throw new Xunit.Sdk.XunitException($"no {name} sample with {string.Join(", ", labels)} in:\n{exposition}");

    private static string? FindSample(string exposition, string name, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            {
                return line;
            }
        }

        return null;
    }
}
