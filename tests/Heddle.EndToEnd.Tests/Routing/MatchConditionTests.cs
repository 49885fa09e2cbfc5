using System.Text.Json;
using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.Routing;

/// <summary>
/// Istio's HTTPMatchRequest conditions through real sidecars to the real echo service (testdata/routing/match.yaml):
/// each route sends what its condition matches to v2, and a request that just misses it falls through to v1.
/// </summary>
[Collection(RoutingMeshCollection.Name)]
public sealed class MatchConditionTests(RoutingMeshFixture fixture)
{
    private readonly LocalMesh _mesh = fixture.Mesh;

    [Fact]
    public async Task Method_Post_ReachesV2_OtherMethodsV1()
    {
        using var client = _mesh.ClientOf("client");

        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Post, "http://echo-match/items"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Put, "http://echo-match/items"));
    }

    [Fact]
    public async Task QueryParam_CanaryTrue_ReachesV2_OtherValuesV1()
    {
        using var client = _mesh.ClientOf("client");

        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items?canary=true"));
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items?page=2&canary=true"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items?canary=truex"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items?canary"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items"));
    }

    [Fact]
    public async Task Authority_QualifiedName_ReachesV2_ShortNameV1()
    {
        using var client = _mesh.ClientOf("client");

        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match.default/items"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match.default.svc.cluster.local/items"));
    }

    [Fact]
    public async Task IgnoreUriCase_PrefixInAnyCase_ReachesV2()
    {
        using var client = _mesh.ClientOf("client");

        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/admin/users"));
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/ADMIN/users"));
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/Admin"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/adm"));
    }

    [Fact]
    public async Task UriRegex_MustMatchTheWholePath()
    {
        using var client = _mesh.ClientOf("client");

        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/users/42"));
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/users/42?page=2"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/users/42/orders"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/v2/users/42"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/users/abc"));
    }

    [Fact]
    public async Task WithoutHeaders_HeaderPresent_FallsThroughToV1()
    {
        using var client = _mesh.ClientOf("client");

        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/beta/feature"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/beta/feature", ("X-Opt-Out", "yes")));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/beta/feature", ("x-opt-out", "no")));
    }

    [Fact]
    public async Task Headers_PrefixRegexAndPresence_ReachV2()
    {
        using var client = _mesh.ClientOf("client");

        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items", ("x-tier", "gold-plus")));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items", ("x-tier", "silver-gold")));
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items", ("x-id", "123")));
        // A regex must match the whole value.
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items", ("x-id", "1234")));
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/items", ("x-flag", "anything")));
    }

    [Fact]
    public async Task SourceLabelsAndNamespace_MatchTheCallingWorkload()
    {
        using var client = _mesh.ClientOf("client");

        // The client pod has app=client and runs in namespace default.
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/source/labels"));
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/source/namespace"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/source/other-labels"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/source/other-namespace"));
    }

    [Fact]
    public async Task PortAndScheme_MatchTheRequest()
    {
        using var client = _mesh.ClientOf("client");

        // echo-match listens on service port 80, over plain HTTP.
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/port/80"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/port/81"));
        Assert.Equal("v2", await VersionAsync(client, HttpMethod.Get, "http://echo-match/scheme/plain"));
        Assert.Equal("v1", await VersionAsync(client, HttpMethod.Get, "http://echo-match/scheme/secure"));
    }

    private static async Task<string?> VersionAsync(HttpClient client, HttpMethod method, string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent("body");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("version").GetString();
    }
}
