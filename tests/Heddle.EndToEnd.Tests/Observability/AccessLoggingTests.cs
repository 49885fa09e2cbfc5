using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Observability;

/// <summary>
/// Istio's Telemetry resource and MeshConfig switch the sidecars' access logs while the mesh runs: off for one
/// workload, on for another as JSON lines in a file, with a filter that logs only failed requests.
/// </summary>
public sealed class AccessLoggingTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private LocalMesh _mesh = null!;

    public async Task InitializeAsync() => _mesh = await LocalMesh.StartAsync("access-logging");

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task Telemetry_AppliedLive_TurnsOneLogOffAndAnotherToAFilteredJsonFile()
    {
        using var quiet = _mesh.ClientOf("quiet");
        using var loud = _mesh.ClientOf("loud");
        var file = Path.Combine(Path.GetDirectoryName(_mesh.ConfigDirectory)!, "logs", "access.log");

        // Before any Telemetry: the sidecars' command-line setting (stdout, text).
        await GetAsync(quiet, "/status/200?before=quiet", 200);
        await _mesh.Output.WaitForLineAsync(l => l.Contains("quiet-0/proxy", StringComparison.Ordinal) && l.Contains("before=quiet", StringComparison.Ordinal), Deadline, "quiet's access-log line on stdout");

        await File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "telemetry.yaml"), $"""
            apiVersion: heddle.dev/v1alpha1
            kind: MeshConfig
            metadata: {"{"}name: mesh{"}"}
            spec:
              accessLogFile: {file}
              accessLogEncoding: JSON
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata:
              name: mesh-default
              namespace: istio-system
            spec:
              accessLogging:
              - disabled: true
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata:
              name: loud
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: loud
              accessLogging:
              - providers:
                - name: envoy
                filter:
                  expression: response.code >= 400
            """);

        // loud's sidecar applies it without restart: failures appear in the file as JSON.
        int attempt = 0;
        await Wait.UntilAsync(async () =>
        {
            await GetAsync(loud, $"/status/500?probe={++attempt}", 500);
            return ReadShared(file).Contains("probe=", StringComparison.Ordinal);
        }, Deadline, "loud's failed request in " + file);
        await Wait.UntilAsync(async () => (await ConfigDumpAsync("quiet")).Contains("accessLog", StringComparison.Ordinal), Deadline, "quiet's sidecar to receive the access-log settings");

        await GetAsync(quiet, "/status/503?after=quiet", 503);
        await GetAsync(loud, "/status/200?after=loud-ok", 200);
        await GetAsync(loud, "/status/404?after=loud-failed", 404);

        string text = "";
        await Wait.UntilAsync(() => Task.FromResult((text = ReadShared(file)).Contains("after=loud-failed", StringComparison.Ordinal)), Deadline, "loud's 404 in the file");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.GetProperty("response_code").GetInt32() >= 400, line);
        }

        var failed = lines.Single(l => l.Contains("after=loud-failed", StringComparison.Ordinal));
        using (var json = JsonDocument.Parse(failed))
        {
            Assert.Equal(404, json.RootElement.GetProperty("response_code").GetInt32());
            Assert.Equal("outbound|8000||httpbin.default.svc.cluster.local", json.RootElement.GetProperty("upstream_cluster").GetString());
        }

        Assert.DoesNotContain("after=loud-ok", text, StringComparison.Ordinal);
        Assert.DoesNotContain("quiet", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_mesh.Output.Lines, l => l.Contains("after=", StringComparison.Ordinal) && l.Contains("/proxy", StringComparison.Ordinal));

        // Removing the resources returns every sidecar to its command-line setting.
        File.Delete(Path.Combine(_mesh.ConfigDirectory, "telemetry.yaml"));
        await Wait.UntilAsync(async () =>
        {
            await GetAsync(quiet, $"/status/200?back={++attempt}", 200);
            return _mesh.Output.Text.Contains("back=", StringComparison.Ordinal);
        }, Deadline, "quiet's access log back on stdout");
    }

    [Fact]
    public async Task ProxyConfigLog_LevelDebug_ChangesTheSidecarsLevelThroughItsAdminEndpoint()
    {
        var (exitCode, output) = await _mesh.RunCliAsync("proxy-config", "log", "loud", "--level", "debug");
        Assert.True(exitCode == 0, output);
        Assert.Contains("heddle: debug", output, StringComparison.Ordinal);

        (exitCode, output) = await _mesh.RunCliAsync("proxy-config", "log", "loud", "-o", "json");
        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("debug", json.RootElement.GetProperty("loggers").GetProperty("heddle").GetString());

        (exitCode, output) = await _mesh.RunCliAsync("proxy-config", "log", "loud", "--level", "loud");
        Assert.Equal(1, exitCode);
        Assert.Contains("expected trace, debug", output, StringComparison.Ordinal);
    }

    private async Task<string> ConfigDumpAsync(string workload)
    {
        using var admin = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await admin.GetStringAsync($"http://{_mesh.PodIp(workload)}:15000/config_dump");
    }

    private static async Task GetAsync(HttpClient client, string path, int expected)
    {
        using var response = await client.GetAsync("http://httpbin:8000" + path);
        Assert.Equal(expected, (int)response.StatusCode);
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
