using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>
/// Istio's PeerAuthentication example, a STRICT workload whose port 8001 is DISABLE, over HTTP: the client sidecar
/// keeps mutual TLS for 8000 and sends 8001's requests in plaintext on connections of their own, so both are served.
/// </summary>
public sealed class PortLevelMtlsTests : IAsyncLifetime
{
    private LocalMesh _mesh = null!;

    public async Task InitializeAsync() => _mesh = await LocalMesh.StartAsync("port-level-mtls");

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task StrictWorkloadWithADisabledPort_SidecarClientReachesBothPorts_EachInItsPortsMode()
    {
        using var sleep = _mesh.ClientOf("sleep");
        await Wait.UntilAsync(async () => (await sleep.GetAsync("http://httpbin.foo:8000/get")).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "sleep to reach httpbin");

        // Alternating, so that the two ports' connections to the one sidecar are open at the same time.
        for (int i = 0; i < 5; i++)
        {
            string strict = await sleep.GetStringAsync("http://httpbin.foo:8000/headers");
            string disabled = await sleep.GetStringAsync("http://httpbin.foo:8001/headers");

            Assert.Contains("URI=spiffe://cluster.local/ns/foo/sa/sleep", strict, StringComparison.Ordinal);
            Assert.DoesNotContain("X-Forwarded-Client-Cert", disabled, StringComparison.OrdinalIgnoreCase);
        }

        // A request the lean HTTP/1.1 path leaves to the general path (Expect: 100-continue) takes its plaintext pool too.
        using var post = new HttpRequestMessage(HttpMethod.Post, "http://httpbin.foo:8001/post") { Content = new StringContent("hello") };
        post.Headers.ExpectContinue = true;
        using var posted = await sleep.SendAsync(post);
        Assert.Equal(System.Net.HttpStatusCode.OK, posted.StatusCode);
        Assert.DoesNotContain("X-Forwarded-Client-Cert", await posted.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // From outside the mesh: plaintext is refused on the STRICT port and served on the DISABLE one.
        string httpbin = _mesh.PodIp("httpbin");
        Assert.NotEqual(0, (await SecurityTools.PlaintextCurlAsync(httpbin, 8000, "/get")).ExitCode);
        Assert.Equal("200", (await SecurityTools.PlaintextCurlAsync(httpbin, 8001, "/get")).Output);
    }
}
