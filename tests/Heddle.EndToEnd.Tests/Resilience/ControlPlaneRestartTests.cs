using System.Net.Http.Json;
using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Resilience;

/// <summary>The data plane does not depend on the control plane being up; a restarted control plane resynchronizes every proxy.</summary>
public sealed class ControlPlaneRestartTests : IAsyncLifetime
{
    private LocalMesh _mesh = null!;

    public async Task InitializeAsync() => _mesh = await LocalMesh.StartAsync("routing");

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task KillingControlPlane_InterruptsNoRequest_AndRestartResynchronizesProxies()
    {
        int firstPid = _mesh.ControlPlanePid() ?? throw new InvalidOperationException("no control-plane pid in mesh.json");
        using var client = _mesh.ClientOf("client");
        int ok = 0;
        var failures = new List<string>();
        using var stop = new CancellationTokenSource();

        // Step 1: steady traffic from the client's sidecar to the echo service.
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync("http://echo/");
                    if (response.IsSuccessStatusCode)
                    {
                        ok++;
                    }
                    else
                    {
                        failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Add(e.Message);
                }
            }
        });

        // Step 2: kill the control plane hard, while requests flow.
        await Wait.UntilAsync(() => Task.FromResult(ok > 20), TimeSpan.FromSeconds(10), "traffic to flow");
        Signals.Kill(firstPid);
        int atKill = ok;
        await Wait.UntilAsync(() => Task.FromResult(ok > atKill + 100), TimeSpan.FromSeconds(20), "requests to keep succeeding without a control plane");

        // Step 3: `heddle up` restarts it; every proxy reconnects and acknowledges the latest version.
        await Wait.UntilAsync(() => Task.FromResult(_mesh.ControlPlanePid() is int pid && pid != firstPid), TimeSpan.FromSeconds(30), "a new control plane");
        using var monitoring = new HttpClient();
        await Wait.UntilAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await monitoring.GetStringAsync($"http://{_mesh.ControlPlaneMonitoring}/debug/proxies"));
            var proxies = doc.RootElement.EnumerateArray().ToList();
            return proxies.Count == _mesh.State().GetProperty("pods").GetArrayLength()
                && proxies.All(p => p.GetProperty("status").GetString() == "SYNCED");
        }, TimeSpan.FromSeconds(30), "every proxy SYNCED with the new control plane");

        stop.Cancel();
        await traffic;
        Assert.Empty(failures);

        // Step 4: the new control plane's pushes take effect.
        string routing = Path.Combine(_mesh.ConfigDirectory, "routing.yaml");
        await File.WriteAllTextAsync(routing, File.ReadAllText(routing).Replace("weight: 80", "weight: 0", StringComparison.Ordinal).Replace("weight: 20", "weight: 100", StringComparison.Ordinal));
        await Wait.UntilAsync(async () =>
        {
            for (int i = 0; i < 20; i++)
            {
                var reply = await client.GetFromJsonAsync<JsonElement>("http://echo/");
                if (reply.GetProperty("version").GetString() != "v2")
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(10), "the restarted control plane's push to shift all traffic to v2");
    }
}
