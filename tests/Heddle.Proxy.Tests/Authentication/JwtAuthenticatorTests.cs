using Heddle.Discovery.V1;
using Heddle.Proxy.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Proxy.Tests.Authentication;

/// <summary>RequestAuthentication semantics: a token, where present, must be valid; its absence is not an error.</summary>
public sealed class JwtAuthenticatorTests : IDisposable
{
    private const string Issuer = "testing@secure.istio.io";
    private readonly TestTokens _tokens = new(Issuer);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _tokens.Dispose();

    private DateTime InOneHour => _time.GetUtcNow().UtcDateTime.AddHours(1);

    private JwtAuthenticator Authenticator(Action<JwtProvider>? configure = null)
    {
        var provider = new JwtProvider { Issuer = Issuer, Jwks = _tokens.Jwks };
        configure?.Invoke(provider);
        var authentication = new JwtAuthentication();
        authentication.Providers.Add(provider);
        return JwtAuthenticator.Compile(authentication);
    }

    private static HttpRequest Request(string? bearer = null, string? query = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/headers";
        if (bearer is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + bearer;
        }

        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }

        return context.Request;
    }

    [Fact]
    public async Task ValidToken_GivesIssSubAsPrincipal_AndRemovesTheToken()
    {
        var request = Request(_tokens.Create("alice", InOneHour));

        var result = await Authenticator().AuthenticateAsync(request, _time);

        Assert.Null(result.Failure);
        Assert.Equal(Issuer + "/alice", result.Identity!.Principal);
        Assert.False(request.Headers.ContainsKey("authorization"));
    }

    [Fact]
    public async Task NoToken_PassesUnauthenticated()
    {
        var result = await Authenticator().AuthenticateAsync(Request(), _time);

        Assert.Null(result.Failure);
        Assert.Null(result.Identity);
    }

    [Fact]
    public async Task TokenInAccessTokenParameter_IsFoundByDefault()
    {
        var result = await Authenticator().AuthenticateAsync(Request(query: "?access_token=" + _tokens.Create("bob", InOneHour)), _time);

        Assert.Equal(Issuer + "/bob", result.Identity!.Principal);
    }

    [Fact]
    public async Task ExpiredToken_IsRefused()
    {
        var token = _tokens.Create("alice", _time.GetUtcNow().UtcDateTime.AddMinutes(-5));

        var result = await Authenticator().AuthenticateAsync(Request(token), _time);

        Assert.Equal("Jwt is expired", result.Failure);
    }

    [Fact]
    public async Task TokenSignedByAnotherKey_IsRefused()
    {
        using var other = new TestTokens(Issuer, keyId: "test-key");

        var result = await Authenticator().AuthenticateAsync(Request(other.Create("mallory", InOneHour)), _time);

        Assert.Equal("Jwt verification fails", result.Failure);
    }

    [Fact]
    public async Task UnsignedToken_AlgNone_IsRefused()
    {
        var result = await Authenticator().AuthenticateAsync(Request(_tokens.Unsigned("mallory", InOneHour)), _time);

        Assert.Equal("Jwt verification fails", result.Failure);
    }

    [Fact]
    public async Task TokenOfAnUnknownIssuer_IsRefused()
    {
        var result = await Authenticator().AuthenticateAsync(Request(_tokens.Create("alice", InOneHour, issuer: "someone-else")), _time);

        Assert.Equal("Jwt issuer is not configured", result.Failure);
    }

    [Fact]
    public async Task MalformedToken_IsRefused()
    {
        var result = await Authenticator().AuthenticateAsync(Request("not-a-jwt"), _time);

        Assert.NotNull(result.Failure);
        Assert.Null(result.Identity);
    }

    [Fact]
    public async Task Audiences_TokenForAnotherAudience_IsRefused()
    {
        var authenticator = Authenticator(p => p.Audiences.Add("httpbin"));

        Assert.Null((await authenticator.AuthenticateAsync(Request(_tokens.Create("alice", InOneHour, audience: "httpbin")), _time)).Failure);
        Assert.Equal("Audiences in Jwt are not allowed", (await authenticator.AuthenticateAsync(Request(_tokens.Create("alice", InOneHour, audience: "other")), _time)).Failure);
    }

    [Fact]
    public async Task Outputs_ForwardTheToken_CopyAClaim_AndThePayload()
    {
        var authenticator = Authenticator(p =>
        {
            p.ForwardOriginalToken = true;
            p.OutputPayloadToHeader = "x-jwt-payload";
            p.OutputClaimToHeaders.Add(new JwtClaimToHeader { Header = "x-jwt-claim-foo", Claim = "foo" });
        });
        var request = Request(_tokens.Create("alice", InOneHour, new Dictionary<string, object> { ["foo"] = "bar" }));

        await authenticator.AuthenticateAsync(request, _time);

        Assert.True(request.Headers.ContainsKey("authorization"));
        Assert.Equal("bar", request.Headers["x-jwt-claim-foo"].ToString());
        Assert.False(string.IsNullOrEmpty(request.Headers["x-jwt-payload"].ToString()));
    }

    [Fact]
    public async Task KeySetNotFetched_EveryTokenOfTheIssuerIsRefused()
    {
        var authenticator = Authenticator(p => { p.Jwks = ""; p.JwksError = "not fetched"; });

        var result = await authenticator.AuthenticateAsync(Request(_tokens.Create("alice", InOneHour)), _time);

        Assert.Equal("Jwt verification fails", result.Failure);
    }

    [Fact]
    public void Compile_KeySetThatIsNotJson_Throws()
    {
        var authentication = new JwtAuthentication();
        authentication.Providers.Add(new JwtProvider { Issuer = Issuer, Jwks = "{not json" });

        Assert.ThrowsAny<ArgumentException>(() => JwtAuthenticator.Compile(authentication));
    }
}
