using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>Istio's "External Authorization" task: a CUSTOM AuthorizationPolicy on httpbin sends requests for /headers
/// to an HTTP authorizer (testdata/ext-authz/ext_authz.py) named by the mesh config's extension providers.</summary>
public sealed class ExternalAuthorizationTests : IAsyncLifetime
{
    private LocalMesh _mesh = null!;

    public async Task InitializeAsync() => _mesh = await LocalMesh.StartAsync("ext-authz");

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task CustomPolicy_AuthorizerDecides_DenialCarriesItsAnswer_AndErrorsFollowTheProvider()
    {
        using var sleep = _mesh.ClientOf("sleep");

        // Denied by the authorizer: its status, body and the headers the provider lets through to the client.
        using (var denied = await GetAsync(sleep, "http://httpbin.foo:8000/headers", "deny"))
        {
            Assert.Equal(403, (int)denied.StatusCode);
            Assert.Equal("denied by ext_authz for not found header `x-ext-authz: allow` in the request", await denied.Content.ReadAsStringAsync());
            Assert.Equal("denied", Assert.Single(denied.Headers.GetValues("x-ext-authz-check-result")));
            Assert.False(denied.Headers.Contains("x-ext-authz-seen"));
        }

        // Allowed: the application sees the headers the provider copies upstream; the check request had the original
        // method, the path prefix and the additional header.
        using (var allowed = await GetAsync(sleep, "http://httpbin.foo:8000/headers", "allow"))
        {
            Assert.Equal(200, (int)allowed.StatusCode);
            using var json = System.Text.Json.JsonDocument.Parse(await allowed.Content.ReadAsStringAsync());
            var headers = json.RootElement.GetProperty("headers");
            Assert.Equal("allowed", headers.GetProperty("X-Ext-Authz-Check-Result").GetString());
            Assert.Equal("GET /check/headers", headers.GetProperty("X-Ext-Authz-Seen").GetString());
            Assert.Equal("from-mesh", headers.GetProperty("X-Ext-Authz-Extra").GetString());
        }

        // Paths the policy does not name never reach the authorizer.
        using (var ip = await GetAsync(sleep, "http://httpbin.foo:8000/ip", "deny"))
        {
            Assert.Equal(200, (int)ip.StatusCode);
        }

        // An authorizer that cannot be reached: statusOnError, then failOpen.
        var meshConfig = Path.Combine(_mesh.ConfigDirectory, "meshconfig.yaml");
        var original = await File.ReadAllTextAsync(meshConfig);
        await File.WriteAllTextAsync(meshConfig, original
            .Replace("service: \"ext-authz.foo.svc.cluster.local\"\n      port: \"8000\"", "service: \"ext-authz.foo.svc.cluster.local\"\n      port: \"8000\"\n      statusOnError: \"503\"", StringComparison.Ordinal)
            .Replace("\"ext-authz.foo.svc.cluster.local\"\n      port: \"8000\"", "\"nowhere.foo.svc.cluster.local\"\n      port: \"8000\"", StringComparison.Ordinal));
        await Wait.UntilAsync(async () =>
        {
            using var response = await GetAsync(sleep, "http://httpbin.foo:8000/headers", "allow");
            return (int)response.StatusCode == 503;
        }, TimeSpan.FromSeconds(10), "/headers to get statusOnError 503 once the authorizer is unreachable");

        await File.WriteAllTextAsync(meshConfig, (await File.ReadAllTextAsync(meshConfig)).Replace("statusOnError: \"503\"", "failOpen: true", StringComparison.Ordinal));
        await Wait.UntilAsync(async () =>
        {
            using var response = await GetAsync(sleep, "http://httpbin.foo:8000/headers", "deny");
            return (int)response.StatusCode == 200;
        }, TimeSpan.FromSeconds(10), "/headers to be allowed with failOpen while the authorizer is unreachable");
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string verdict)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("x-ext-authz", verdict);
        return await client.SendAsync(request);
    }
}
