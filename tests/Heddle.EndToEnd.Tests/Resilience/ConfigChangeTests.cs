using System.Net.Http.Json;
using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Resilience;

/// <summary>Config changes on a running mesh: good ones reach the proxies quickly, bad ones change nothing.</summary>
public sealed class ConfigChangeTests : IAsyncLifetime
{
    private const string AllToV2 = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: echo
          namespace: default
        spec:
          hosts: [echo]
          http:
          - route:
            - destination: {host: echo, subset: v2}
        """;

    private LocalMesh _mesh = null!;

    public async Task InitializeAsync() => _mesh = await LocalMesh.StartAsync("routing");

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task Apply_InvalidFile_IsRefusedAndMeshKeepsServing()
    {
        string bad = Path.Combine(Path.GetTempPath(), $"bad-weights-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(bad, AllToV2.Replace("subset: v2}", "subset: v2}\n      weight: 80\n    - destination: {host: echo, subset: v1}\n      weight: 10", StringComparison.Ordinal));

        var (exitCode, output) = await _mesh.RunCliAsync("apply", "-f", bad);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(Path.GetFileName(bad) + ":", output, StringComparison.Ordinal);
        Assert.Contains("100", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_mesh.ConfigDirectory, Path.GetFileName(bad))));
        Assert.True(await CountV2Async(200) is > 10 and < 80, "the 80/20 split still holds");
    }

    [Fact]
    public async Task SavedChange_ReachesTheProxies_AndABrokenFileKeepsTheLastGoodConfig()
    {
        // A valid change written straight into the watched directory.
        await File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "routing.yaml"),
            File.ReadAllText(Path.Combine(_mesh.ConfigDirectory, "routing.yaml")).Split("---")[0] + "---\n" + AllToV2);
        await Wait.UntilAsync(async () => await CountV2Async(20) == 20, TimeSpan.FromSeconds(10), "all traffic on v2");

        // A broken file next to it: the control plane reports it and keeps serving the last good config.
        await File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "broken.yaml"), "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec:\n  hosts: [echo]\n  htp: []\n");
        using var monitoring = new HttpClient();
        await Wait.UntilAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await monitoring.GetStringAsync($"http://{_mesh.ControlPlaneMonitoring}/debug/config"));
            return doc.RootElement.GetProperty("problems").GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(10), "the control plane to report broken.yaml");
        Assert.Equal(50, await CountV2Async(50));
    }

    private async Task<int> CountV2Async(int requests)
    {
        using var client = _mesh.ClientOf("client");
        int v2 = 0;
        for (int i = 0; i < requests; i++)
        {
            var reply = await client.GetFromJsonAsync<JsonElement>("http://echo/");
            if (reply.GetProperty("version").GetString() == "v2")
            {
                v2++;
            }
        }

        return v2;
    }
}
