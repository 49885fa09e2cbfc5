using System.Net;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>Istio's "Authorization for HTTP traffic" task by service account and namespace: httpbin's sidecar matches
/// the caller's identity as verified over mutual TLS between sidecars.</summary>
public sealed class ServiceAccountAuthorizationTests : IAsyncLifetime
{
    private LocalMesh _mesh = null!;

    public async Task InitializeAsync() => _mesh = await LocalMesh.StartAsync("authorization-principals");

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task Principals_OnlyTheNamedServiceAccountReads_NamespaceRuleAdmitsItsPaths_ClaimsWithoutTlsDoNotCount()
    {
        using var sleep = _mesh.ClientOf("sleep");
        using var other = _mesh.ClientOf("other");
        using var toolbox = _mesh.ClientOf("toolbox");
        const string Httpbin = "http://httpbin.default:8000";

        // The sleep service account reads anything, but may not write.
        await AssertStatusAsync(sleep, HttpMethod.Get, Httpbin + "/get", 200);
        await AssertStatusAsync(sleep, HttpMethod.Get, Httpbin + "/status/200", 200);
        await AssertStatusAsync(sleep, HttpMethod.Post, Httpbin + "/post", 403);

        // Another service account of the same namespace: denied with Envoy's answer.
        using (var denied = await other.GetAsync(Httpbin + "/get"))
        {
            Assert.Equal(403, (int)denied.StatusCode);
            Assert.Equal("RBAC: access denied", await denied.Content.ReadAsStringAsync());
        }

        await AssertStatusAsync(other, HttpMethod.Get, Httpbin + "/status/200", 403);

        // The tools namespace reads /status/* only.
        await AssertStatusAsync(toolbox, HttpMethod.Get, Httpbin + "/status/200", 200);
        await AssertStatusAsync(toolbox, HttpMethod.Get, Httpbin + "/get", 403);
        await AssertStatusAsync(toolbox, HttpMethod.Post, Httpbin + "/status/200", 403);

        // A plaintext caller straight to httpbin's inbound listener has no verified identity: claiming sleep's in a
        // forwarded-client-cert header does not make it sleep.
        using var plaintext = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var forged = new HttpRequestMessage(HttpMethod.Get, $"http://{_mesh.PodIp("httpbin")}:15006/get")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        forged.Headers.Add("x-heddle-inbound-port", "8000");
        forged.Headers.Add("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/default/sa/httpbin;URI=spiffe://cluster.local/ns/default/sa/sleep");
        using var response = await plaintext.SendAsync(forged);
        Assert.Equal(403, (int)response.StatusCode);
    }

    private static async Task AssertStatusAsync(HttpClient client, HttpMethod method, string url, int expected)
    {
        using var request = new HttpRequestMessage(method, url);
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{}");
        }

        using var response = await client.SendAsync(request);
        Assert.True(expected == (int)response.StatusCode, $"{method} {url}: expected {expected}, got {(int)response.StatusCode}");
    }
}
