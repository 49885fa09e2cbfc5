using System.Net;
using System.Net.Sockets;
using Heddle.ControlPlane.Tests.TestSupport;

namespace Heddle.ControlPlane.Tests;

public sealed class ControlPlaneHostTests
{
    private static IPEndPoint FreeLoopbackEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return (IPEndPoint)listener.LocalEndpoint;
    }

    [Fact]
    public async Task RunAsync_UntilCancelled_ServesReadyThenStops()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("web.yaml", MeshConfig.Web);
        var monitoring = FreeLoopbackEndpoint();
        var options = new ControlPlaneOptions
        {
            ConfigDirectory = directory.Path,
            DiscoveryEndpoint = FreeLoopbackEndpoint(),
            MonitoringEndpoint = monitoring,
        };
        using var stop = new CancellationTokenSource();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{monitoring}") };

        var running = ControlPlaneHost.RunAsync(options, stop.Token);
        var ready = await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync("/ready");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return running.IsCompleted;
            }
        });
        Assert.True(ready);
        Assert.False(running.IsCompleted, running.Exception?.ToString());
        Assert.Contains("\"version\": \"1\"", await http.GetStringAsync("/debug/config"), StringComparison.Ordinal);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/ready"));
    }

    [Fact]
    public async Task RunAsync_MonitoringPortInUse_FailsInsteadOfHanging()
    {
        using var directory = new TempConfigDirectory();
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var options = new ControlPlaneOptions
        {
            ConfigDirectory = directory.Path,
            DiscoveryEndpoint = FreeLoopbackEndpoint(),
            MonitoringEndpoint = (IPEndPoint)occupied.LocalEndpoint,
        };

        var running = ControlPlaneHost.RunAsync(options, CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
