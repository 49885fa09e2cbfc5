using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>AuthorizationPolicies enforced by httpbin's sidecar on requests from another workload's sidecar.</summary>
public sealed class AuthorizationPolicyTests : IAsyncLifetime
{
    private LocalMesh _mesh = null!;

    public async Task InitializeAsync() => _mesh = await LocalMesh.StartAsync("authorization");

    public async Task DisposeAsync() => await _mesh.DisposeAsync();

    [Fact]
    public async Task Policies_AllowListedReads_DenyEverythingElse_AndAChangeTakesEffect()
    {
        using var sleep = _mesh.ClientOf("sleep");

        // Allowed by httpbin-viewer.
        using (var headers = await sleep.GetAsync("http://httpbin:8000/headers"))
        {
            Assert.Equal(200, (int)headers.StatusCode);
        }

        // Not listed by the ALLOW policy: denied with Envoy's answer.
        using (var post = await sleep.PostAsync("http://httpbin:8000/post", new StringContent("{}")))
        {
            Assert.Equal(403, (int)post.StatusCode);
            Assert.Equal("RBAC: access denied", await post.Content.ReadAsStringAsync());
        }

        using (var ip = await sleep.GetAsync("http://httpbin:8000/ip"))
        {
            Assert.Equal(403, (int)ip.StatusCode);
        }

        // DENY wins over ALLOW: by path, and by header condition.
        using (var teapot = await sleep.GetAsync("http://httpbin:8000/status/418"))
        {
            Assert.Equal(403, (int)teapot.StatusCode);
        }

        using (var blocked = new HttpRequestMessage(HttpMethod.Get, "http://httpbin:8000/status/200"))
        {
            blocked.Headers.Add("x-block", "yes");
            using var response = await sleep.SendAsync(blocked);
            Assert.Equal(403, (int)response.StatusCode);
        }

        using (var ok = await sleep.GetAsync("http://httpbin:8000/status/200"))
        {
            Assert.Equal(200, (int)ok.StatusCode);
        }

        // Removing the policies opens httpbin again.
        File.Delete(Path.Combine(_mesh.ConfigDirectory, "policies.yaml"));
        await Wait.UntilAsync(async () =>
        {
            using var response = await sleep.GetAsync("http://httpbin:8000/ip");
            return (int)response.StatusCode == 200;
        }, TimeSpan.FromSeconds(10), "httpbin to answer /ip once the policies are gone");
    }
}
