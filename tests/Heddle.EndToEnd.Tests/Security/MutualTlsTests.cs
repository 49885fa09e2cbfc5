using System.Diagnostics;
using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>
/// A fresh mesh is mutually authenticated with no configuration, and Istio's mutual TLS migration task holds: a
/// client outside the mesh (this test process, with curl and openssl) reaches a PERMISSIVE workload in plaintext and
/// is refused once STRICT applies, while the sidecars keep talking.
/// </summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private const string MeshWideStrict = """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: "default"
          namespace: "istio-system"
        spec:
          mtls:
            mode: STRICT
        """;

    private LocalMesh _mesh = null!;

    public async Task InitializeAsync()
    {
        _mesh = await LocalMesh.StartAsync("security");
        // Sidecars are ready before every endpoint reached every other sidecar; wait for sleep to see httpbin.
        using var sleep = _mesh.ClientOf("sleep");
        await Wait.UntilAsync(async () => (await sleep.GetAsync("http://httpbin.foo:8000/ip")).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "sleep to reach httpbin");
    }

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task DefaultMesh_SidecarToSidecar_IsMutualTlsCarryingTheCallersIdentity()
    {
        using var sleep = _mesh.ClientOf("sleep");

        string headers = await sleep.GetStringAsync("http://httpbin.foo:8000/headers");

        // The server sidecar verified the client's certificate and tells the application who called.
        Assert.Contains("URI=spiffe://cluster.local/ns/foo/sa/sleep", headers, StringComparison.Ordinal);
        Assert.Contains("By=spiffe://cluster.local/ns/foo/sa/httpbin", headers, StringComparison.Ordinal);

        var (exitCode, secret) = await _mesh.RunCliAsync("proxy-config", "secret", "sleep", "-n", "foo");
        Assert.Equal(0, exitCode);
        Assert.Contains("SPIFFE ID:   spiffe://cluster.local/ns/foo/sa/sleep", secret, StringComparison.Ordinal);
        Assert.Contains("Cert Chain  ACTIVE  true", secret, StringComparison.Ordinal);
        Assert.Contains("SHA-256 fingerprint", secret, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", await SecurityTools.ConfigDumpAsync(_mesh.PodIp("sleep")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutualTlsMigration_StrictApplied_OutsideClientIsRefusedAndMeshClientsKeepWorking()
    {
        string httpbin = _mesh.PodIp("httpbin");
        using var sleep = _mesh.ClientOf("sleep");

        // PERMISSIVE (no policy): plaintext from outside the mesh and mutual TLS from sleep are both served.
        Assert.Equal("200", (await SecurityTools.PlaintextCurlAsync(httpbin, 8000, "/ip")).Output);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await sleep.GetAsync("http://httpbin.foo:8000/ip")).StatusCode);

        await File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "strict.yaml"), MeshWideStrict);
        await Wait.UntilAsync(async () => (await SecurityTools.PlaintextCurlAsync(httpbin, 8000, "/ip")).ExitCode != 0, TimeSpan.FromSeconds(15), "plaintext to be refused under STRICT");

        var plaintext = await SecurityTools.PlaintextCurlAsync(httpbin, 8000, "/ip");
        Assert.NotEqual(0, plaintext.ExitCode);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await sleep.GetAsync("http://httpbin.foo:8000/ip")).StatusCode);
        }

        // TLS without a client certificate: the handshake is refused, no request is served.
        var anonymous = await SecurityTools.OpenSslAsync(httpbin, 8000);
        Assert.DoesNotContain("200 OK", anonymous.Output, StringComparison.Ordinal);
        Assert.Contains("spiffe://cluster.local/ns/foo/sa/httpbin", SecurityTools.UriNames(SecurityTools.FirstCertificate(anonymous.Output)), StringComparison.Ordinal);
        await _mesh.Output.WaitForLineAsync(l => l.Contains("the client sent no certificate", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the refusal in httpbin's sidecar log");

        // A certificate from the mesh's CA is accepted, and the server presents its SPIFFE identity.
        string directory = Directory.CreateTempSubdirectory("heddle-client-cert-").FullName;
        var (certificate, key) = SecurityTools.IssueFromMeshCa(_mesh.RunDirectory, "spiffe://cluster.local/ns/legacy/sa/tester", directory);
        var mutual = await SecurityTools.OpenSslAsync(httpbin, 8000, certificate, key);
        Assert.Contains("200 OK", mutual.Output, StringComparison.Ordinal);
        Assert.Contains("URI=spiffe://cluster.local/ns/legacy/sa/tester", mutual.Output, StringComparison.Ordinal);
        Assert.Contains("spiffe://cluster.local/ns/foo/sa/httpbin", SecurityTools.UriNames(SecurityTools.FirstCertificate(mutual.Output)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyWithAnotherWorkloadsToken_GetsNoCertificate()
    {
        // sleep's token, presented by a proxy that claims to be httpbin.
        string sleepToken = File.ReadAllLines(Path.Combine(_mesh.RunDirectory, "proxy-tokens"))
            .Select(l => l.Split(' '))
            .Single(parts => parts[1] == "foo" && parts[2] == "sleep")[0];
        string podIp = SecurityTools.BaseOf(_mesh.Cidr) + ".200.1";
        var info = new ProcessStartInfo(SecurityTools.ProxyExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--discovery", $"http://{SecurityTools.BaseOf(_mesh.Cidr)}.0.1:15010", "--pod-ip", podIp, "--pod-name", "impostor-0",
            "--namespace", "foo", "--workload", "impostor", "--service-account", "httpbin", "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HEDDLE_PROXY_TOKEN"] = sleepToken;
        using var impostor = Process.Start(info)!;
        var output = new ProcessOutput();
        output.Attach(impostor);
        try
        {
            string lastError = "";
            await Wait.UntilAsync(async () =>
            {
                using var dump = JsonDocument.Parse(await SecurityTools.ConfigDumpAsync(podIp));
                var secrets = dump.RootElement.GetProperty("secrets");
                lastError = secrets.GetArrayLength() > 0 && secrets[0].TryGetProperty("lastError", out var error) ? error.GetString() ?? "" : "";
                return lastError.Length > 0;
            }, TimeSpan.FromSeconds(15), "the impostor to be refused a certificate");

            Assert.Contains("token proves namespace 'foo' service account 'sleep'", lastError, StringComparison.Ordinal);
            using var final = JsonDocument.Parse(await SecurityTools.ConfigDumpAsync(podIp));
            Assert.False(final.RootElement.GetProperty("secrets")[0].TryGetProperty("spiffeId", out _));
            await _mesh.Output.WaitForLineAsync(l => l.Contains("refused to sign a certificate for impostor-0.foo", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the control plane's refusal");
        }
        finally
        {
            impostor.Kill();
            await impostor.WaitForExitAsync();
        }
    }
}
