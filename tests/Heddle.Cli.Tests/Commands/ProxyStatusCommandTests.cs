using System.Text.Json;
using Heddle.Cli.Commands;
using Heddle.Cli.LocalMesh;

namespace Heddle.Cli.Tests.Commands;

public sealed class ProxyStatusCommandTests : IDisposable
{
    private readonly string _runDirectory = Directory.CreateTempSubdirectory("heddle-proxy-status-").FullName;

    public void Dispose() => Directory.Delete(_runDirectory, recursive: true);

    private static IReadOnlyList<ProxyStatus> Captured()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("debug-proxies.json")));
        return ControlPlaneClient.ParseProxies(document.RootElement);
    }

    [Fact]
    public void WriteTable_CapturedProxies_OneRowPerProxyNamedPodDotNamespace()
    {
        var output = new StringWriter();

        ProxyStatusCommand.WriteTable(Captured(), output);

        var lines = output.ToString().TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s+WORKLOAD\s+POD IP\s+VERSION ACKED\s+LATEST\s+STATUS$", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^client-0\.default\s+client\s+127\.23\.3\.1\s+91b2c36480b11d88\s+91b2c36480b11d88\s+SYNCED$", lines[1]);
        Assert.Matches(@"^web-v1-0\.default\s+web-v1\s+127\.23\.1\.1\s+c848697a04f2243b\s+c848697a04f2243b\s+SYNCED$", lines[2]);
        Assert.StartsWith("web-v2-0.default", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTable_StaleAndNotSent_ShowsDashForMissingVersions()
    {
        var output = new StringWriter();
        ProxyStatus[] proxies =
        [
            new("a.shop", "a", "shop", "api", "127.0.1.1", "HEALTHY", "v1", "v2", "STALE"),
            new("b.shop", "b", "shop", "api", "127.0.1.2", "UNKNOWN", "", "", "NOT SENT"),
        ];

        ProxyStatusCommand.WriteTable(proxies, output);

        Assert.Matches(@"(?m)^a\.shop\s+api\s+127\.0\.1\.1\s+v1\s+v2\s+STALE$", output.ToString());
        Assert.Matches(@"(?m)^b\.shop\s+api\s+127\.0\.1\.2\s+-\s+-\s+NOT SENT$", output.ToString());
    }

    [Fact]
    public void WriteJson_CapturedProxies_IsAnArrayWithNameAndVersions()
    {
        var output = new StringWriter();

        ProxyStatusCommand.WriteJson(Captured(), output);

        using var document = JsonDocument.Parse(output.ToString());
        var first = document.RootElement[0];
        Assert.Equal(3, document.RootElement.GetArrayLength());
        Assert.Equal("client-0.default", first.GetProperty("name").GetString());
        Assert.Equal("91b2c36480b11d88", first.GetProperty("ackedVersion").GetString());
        Assert.Equal("SYNCED", first.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RunAsync_NoMesh_SaysSoAndFails()
    {
        var error = new StringWriter();

        int exitCode = await ProxyStatusCommand.RunAsync(new RunDirectory(_runDirectory), OutputOption.Table, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("no mesh is running", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ControlPlaneNotAnswering_SaysWhere()
    {
        Fixtures.WriteRunningMesh(_runDirectory, "127.27.0.0/16", "127.27.1.1");
        var error = new StringWriter();

        int exitCode = await ProxyStatusCommand.RunAsync(new RunDirectory(_runDirectory), OutputOption.Table, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("does not answer on 127.27.0.1:15014", error.ToString(), StringComparison.Ordinal);
    }
}
