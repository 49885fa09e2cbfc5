using System.Text.Json;
using Heddle.Cli.Commands;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.Commands;

public sealed class ProxyConfigCommandTests : IDisposable
{
    private readonly string _runDirectory = Directory.CreateTempSubdirectory("heddle-proxy-config-").FullName;

    public void Dispose() => Directory.Delete(_runDirectory, recursive: true);

    private static ConfigDump Captured(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Fixtures.Path(name)));
        return ConfigDump.Parse(document.RootElement);
    }

    private static string[] Render(string kind, string fixture, string podIp = "127.23.3.1")
    {
        var output = new StringWriter();
        ProxyConfigTables.Write(kind, Captured(fixture), podIp, OutputOption.Table, output);
        return output.ToString().TrimEnd().Split('\n');
    }

    [Fact]
    public void Parse_CapturedClientDump_ReadsEveryKind()
    {
        var dump = Captured("client-config-dump.json");

        Assert.Equal("91b2c36480b11d88", dump.Version);
        Assert.Equal("client-0.default", dump.Node);
        Assert.True(dump.ControlPlaneConnected);
        Assert.Single(dump.VirtualHosts);
        Assert.Equal(3, dump.Clusters.Count);
        Assert.Equal("127.23.3.1", dump.Inbound?.AppAddress);
        Assert.Equal("ALLOW_ANY", dump.OutboundTrafficPolicy);
    }

    [Fact]
    public void Routes_CapturedClientDump_ShowsHeaderMatchThenWeightedSplit()
    {
        var lines = Render(ProxyConfigTables.Routes, "client-config-dump.json");

        Assert.Matches(@"^VIRTUAL HOST\s+DOMAINS\s+MATCH\s+DESTINATION CLUSTERS$", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^web\.default\.svc\.cluster\.local:80\s+web:80 \+3 more\s+end-user=jason\s+outbound\|80\|v2\|web\.default\.svc\.cluster\.local$", lines[1]);
        Assert.Matches(@"^web\.default\.svc\.cluster\.local:80\s+web:80 \+3 more\s+/\*\s+outbound\|80\|v1\|web\.default\.svc\.cluster\.local 80%, outbound\|80\|v2\|web\.default\.svc\.cluster\.local 20%$", lines[2]);
    }

    [Fact]
    public void Clusters_CapturedClientDump_ShowsServicePortSubsetProtocolPolicyAndEndpointCount()
    {
        var lines = Render(ProxyConfigTables.Clusters, "client-config-dump.json");

        Assert.Matches(@"^NAME\s+SERVICE FQDN\s+PORT\s+SUBSET\s+PROTOCOL\s+LB POLICY\s+ENDPOINTS$", lines[0]);
        Assert.Matches(@"^outbound\|80\|v1\|web\.default\.svc\.cluster\.local\s+web\.default\.svc\.cluster\.local\s+80\s+v1\s+HTTP\s+ROUND_ROBIN\s+1$", lines[1]);
        Assert.Matches(@"^outbound\|80\|\|web\.default\.svc\.cluster\.local\s+web\.default\.svc\.cluster\.local\s+80\s+-\s+HTTP\s+ROUND_ROBIN\s+2$", lines[3]);
    }

    [Theory]
    [InlineData("""{"consistentHash": {"headerName": "x-user", "table": "CONSISTENT_HASH_TABLE_MAGLEV"}, "loadBalancer": "LOAD_BALANCER_ROUND_ROBIN"}""", "LOAD_BALANCER_MAGLEV")]
    [InlineData("""{"consistentHash": {"sourceIp": true}}""", "LOAD_BALANCER_RING_HASH")]
    [InlineData("""{"loadBalancer": "LOAD_BALANCER_LEAST_REQUEST"}""", "LOAD_BALANCER_LEAST_REQUEST")]
    public void Parse_Cluster_LoadBalancerNamesConsistentHashingWhenSet(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, DumpedCluster.Parse(document.RootElement).LoadBalancer);
    }

    [Fact]
    public void Endpoints_CapturedClientDump_OneRowPerEndpointWithSidecarAndLabels()
    {
        var lines = Render(ProxyConfigTables.Endpoints, "client-config-dump.json");

        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^127\.23\.1\.1:8080\s+127\.23\.1\.1:15006\s+1\s+app=web,version=v1\s+outbound\|80\|v1\|web\.default\.svc\.cluster\.local$", lines[1]);
    }

    [Fact]
    public void Listeners_CapturedWebDump_ShowsInboundAppPortAndTheFixedPorts()
    {
        var lines = Render(ProxyConfigTables.Listeners, "web-v1-config-dump.json", "127.23.1.1");

        Assert.Matches(@"^127\.23\.1\.1\s+15001\s+OUTBOUND\s+explicit HTTP proxy: 1 virtual host, unknown hosts to PassthroughCluster \(ALLOW_ANY\)$", lines[1]);
        Assert.Matches(@"^127\.23\.1\.1\s+15006\s+INBOUND\s+127\.23\.1\.1:8080 HTTP \(http\)$", lines[2]);
        Assert.Matches(@"^127\.23\.1\.1\s+15000\s+ADMIN\s+", lines[3]);
        Assert.Matches(@"^127\.23\.1\.1\s+15021\s+READINESS\s+/healthz/ready$", lines[4]);
    }

    [Fact]
    public void Write_JsonEndpoints_IsAnArrayOfEndpointsWithTheirCluster()
    {
        var output = new StringWriter();

        ProxyConfigTables.Write(ProxyConfigTables.Endpoints, Captured("client-config-dump.json"), "127.23.3.1", OutputOption.Json, output);

        using var document = JsonDocument.Parse(output.ToString());
        Assert.Equal(4, document.RootElement.GetArrayLength());
        var first = document.RootElement[0];
        Assert.Equal("outbound|80|v1|web.default.svc.cluster.local", first.GetProperty("cluster").GetString());
        Assert.Equal(8080, first.GetProperty("port").GetInt32());
        Assert.Equal("v1", first.GetProperty("labels").GetProperty("version").GetString());
    }

    [Fact]
    public void Write_JsonRoutes_IsTheVirtualHostsAsTheProtocolWritesThem()
    {
        var output = new StringWriter();

        ProxyConfigTables.Write(ProxyConfigTables.Routes, Captured("client-config-dump.json"), "127.23.3.1", OutputOption.Json, output);

        using var document = JsonDocument.Parse(output.ToString());
        var routes = document.RootElement[0].GetProperty("routes");
        Assert.Equal("jason", routes[0].GetProperty("matches")[0].GetProperty("headers")[0].GetProperty("value").GetProperty("exact").GetString());
        Assert.Equal(80, routes[1].GetProperty("clusters")[0].GetProperty("weight").GetInt32());
    }

    [Theory]
    [InlineData("""{"uri":{"prefix":"/api"},"method":{"exact":"GET"}}""", "/api* method=GET")]
    [InlineData("""{"uri":{"exact":"/login"},"ignoreUriCase":true}""", "/login (any case)")]
    [InlineData("""{"headers":[{"name":"x-debug","invert":true}],"queryParams":[{"name":"v","value":{"regex":"[0-9]+"}}]}""", "!x-debug present ?v~[0-9]+")]
    public void MatchSummary_Conditions_ReadShort(string match, string expected)
    {
        using var document = JsonDocument.Parse(match);

        Assert.Equal(expected, ProxyConfigTables.MatchSummary([document.RootElement]));
    }

    [Fact]
    public async Task RunAsync_UnknownWorkload_NamesTheWorkloadsThatRun()
    {
        Fixtures.WriteRunningMesh(_runDirectory, "127.27.0.0/16", "127.27.1.1");
        var error = new StringWriter();

        int exitCode = await ProxyConfigCommand.RunAsync(ProxyConfigTables.Routes, new RunDirectory(_runDirectory), "web", null, 0, OutputOption.Table, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("no workload 'web' in the mesh; it runs: client", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SidecarNotRunning_SaysWhichAddressDoesNotAnswer()
    {
        Fixtures.WriteRunningMesh(_runDirectory, "127.27.0.0/16", "127.27.1.1");
        var error = new StringWriter();

        int exitCode = await ProxyConfigCommand.RunAsync(ProxyConfigTables.Clusters, new RunDirectory(_runDirectory), "client", null, 0, OutputOption.Table, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("the sidecar of client-0 does not answer on 127.27.1.1:15000/config_dump", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoMesh_SaysSoAndFails()
    {
        var error = new StringWriter();

        int exitCode = await ProxyConfigCommand.RunAsync(ProxyConfigTables.Listeners, new RunDirectory(_runDirectory), "client", null, 0, OutputOption.Table, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("no mesh is running", error.ToString(), StringComparison.Ordinal);
    }
}
