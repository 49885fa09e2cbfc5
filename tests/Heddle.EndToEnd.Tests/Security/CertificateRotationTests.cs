using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>Workload certificates that live 20 seconds are renewed at half-life under continuous traffic, and no
/// request fails: connections already open keep going, new handshakes use the new certificate. Runs alone: its
/// continuous load would slow down the meshes of tests that measure timing.</summary>
[Collection(Name)]
public sealed class CertificateRotationTests : IAsyncLifetime
{
    public const string Name = "certificate rotation (not in parallel)";

    private LocalMesh _mesh = null!;

    public async Task InitializeAsync()
    {
        _mesh = await LocalMesh.StartAsync("security", "--workload-cert-ttl", "00:00:20");
        using var sleep = _mesh.ClientOf("sleep");
        await Wait.UntilAsync(async () => (await sleep.GetAsync("http://httpbin.foo:8000/ip")).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "sleep to reach httpbin");
    }

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task ShortLivedCertificates_RenewedUnderLoad_ZeroFailedRequests()
    {
        string httpbin = _mesh.PodIp("httpbin");
        string firstSerial = await SerialAsync(httpbin);
        using var sleep = _mesh.ClientOf("sleep");
        int succeeded = 0;
        var failures = new List<string>();

        // Two clients send requests back to back until httpbin's sidecar has renewed twice (about 20 s).
        var renewals = new HashSet<string> { firstSerial };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var load = Enumerable.Range(0, 2).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await sleep.GetAsync("http://httpbin.foo:8000/ip", stop.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref succeeded);
                    }
                    else
                    {
                        lock (failures)
                        {
                            failures.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (HttpRequestException e)
                {
                    lock (failures)
                    {
                        failures.Add(e.Message);
                    }
                }
            }
        }).ToArray();

        await Wait.UntilAsync(async () =>
        {
            renewals.Add(await SerialAsync(httpbin));
            return renewals.Count >= 3;
        }, TimeSpan.FromSeconds(40), "two renewals of httpbin's certificate");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.True(succeeded > 20, $"only {succeeded} requests were sent");

        // A new handshake presents the current certificate.
        string directory = Directory.CreateTempSubdirectory("heddle-client-cert-").FullName;
        var (certificate, key) = SecurityTools.IssueFromMeshCa(_mesh.RunDirectory, "spiffe://cluster.local/ns/foo/sa/tester", directory);
        var handshake = await SecurityTools.OpenSslAsync(httpbin, 8000, certificate, key);
        Assert.Contains("200 OK", handshake.Output, StringComparison.Ordinal);
        Assert.Equal(await SerialAsync(httpbin), SecurityTools.FirstCertificate(handshake.Output).SerialNumber);
    }

    private static async Task<string> SerialAsync(string podIp)
    {
        using var dump = JsonDocument.Parse(await SecurityTools.ConfigDumpAsync(podIp));
        return dump.RootElement.GetProperty("secrets")[0].GetProperty("serialNumber").GetString()!;
    }
}

/// <summary>The collection of <see cref="CertificateRotationTests"/>, run after the parallel ones.</summary>
[CollectionDefinition(CertificateRotationTests.Name, DisableParallelization = true)]
public sealed class CertificateRotationCollection;
