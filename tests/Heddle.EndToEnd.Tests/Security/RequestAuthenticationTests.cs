using Heddle.EndToEnd.Tests.Support;
using Heddle.Proxy.Tests.Authentication;

namespace Heddle.EndToEnd.Tests.Security;

/// <summary>Istio's JWT authentication task: httpbin's sidecar checks tokens against a key set the control plane
/// fetched from a key server outside the mesh, and an AuthorizationPolicy then requires a token.</summary>
public sealed class RequestAuthenticationTests : IAsyncLifetime
{
    private const string Issuer = "testing@secure.istio.io";
    private readonly TestTokens _tokens = new(Issuer);
    private LocalMesh _mesh = null!;
    private OutsideServer _keys = null!;

    public async Task InitializeAsync()
    {
        _keys = await OutsideServer.StartAsync(_tokens.Jwks);
        _mesh = await LocalMesh.StartAsync("jwt");
    }

    public async Task DisposeAsync()
    {
        await _mesh.DisposeAsync();
        await _keys.DisposeAsync();
        _tokens.Dispose();
    }

    private static HttpRequestMessage Headers(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://httpbin:8000/headers");
        if (token is not null)
        {
            request.Headers.Add("Authorization", "Bearer " + token);
        }

        return request;
    }

    private static async Task<int> StatusAsync(HttpClient client, string? token)
    {
        using var request = Headers(token);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Tokens_InvalidRefused_MissingAllowedUntilAPolicyRequiresOne()
    {
        using var sleep = _mesh.ClientOf("sleep");
        var valid = _tokens.Create(Issuer, DateTime.UtcNow.AddHours(1), new Dictionary<string, object> { ["groups"] = new[] { "group1", "group2" } });
        var expired = _tokens.Create(Issuer, DateTime.UtcNow.AddHours(-1));
        await File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "jwt.yaml"), $"""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: "jwt-example"
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: httpbin
              jwtRules:
              - issuer: "{Issuer}"
                jwksUri: "http://127.0.0.1:{_keys.Port}/"
            """);

        // Once the key set is fetched and pushed, a valid token passes and an invalid one is refused.
        await Wait.UntilAsync(async () => await StatusAsync(sleep, valid) == 200 && await StatusAsync(sleep, "invalidToken") == 401,
            TimeSpan.FromSeconds(15), "httpbin's sidecar to check tokens");
        Assert.Equal(401, await StatusAsync(sleep, expired));
        Assert.Equal(401, await StatusAsync(sleep, _tokens.Unsigned(Issuer, DateTime.UtcNow.AddHours(1))));
        Assert.Equal(200, await StatusAsync(sleep, token: null));

        // The token is removed before the request reaches httpbin (forwardOriginalToken is false).
        using (var request = Headers(valid))
        using (var response = await sleep.SendAsync(request))
        {
            Assert.DoesNotContain("Bearer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // require-jwt: only requests with a token of this issuer and subject, and in group1.
        await File.WriteAllTextAsync(Path.Combine(_mesh.ConfigDirectory, "require-jwt.yaml"), $"""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: require-jwt
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: httpbin
              action: ALLOW
              rules:
              - from:
                - source:
                    requestPrincipals: ["{Issuer}/{Issuer}"]
                when:
                - key: request.auth.claims[groups]
                  values: ["group1"]
            """);
        await Wait.UntilAsync(async () => await StatusAsync(sleep, token: null) == 403, TimeSpan.FromSeconds(10), "the policy to require a token");
        Assert.Equal(200, await StatusAsync(sleep, valid));
        var otherGroup = _tokens.Create(Issuer, DateTime.UtcNow.AddHours(1), new Dictionary<string, object> { ["groups"] = new[] { "group3" } });
        Assert.Equal(403, await StatusAsync(sleep, otherGroup));
    }
}
