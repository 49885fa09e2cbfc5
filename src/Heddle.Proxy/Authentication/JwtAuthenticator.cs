using System.Buffers.Text;
using System.Text.Json;
using Heddle.Discovery.V1;
using Heddle.Proxy.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Heddle.Proxy.Authentication;

/// <summary>
/// The RequestAuthentications of this proxy's workload: a request that carries a token in one of the configured
/// places must carry a valid one of a configured issuer (else 401); a request without token passes unauthenticated,
/// and AuthorizationPolicies decide whether that is enough.
/// </summary>
internal sealed class JwtAuthenticator
{
    /// <summary>How far token times may be off, as Envoy allows.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private readonly JwtIssuer[] _issuers;
    private readonly JsonWebTokenHandler _handler = new();

    private JwtAuthenticator(JwtIssuer[] issuers) => _issuers = issuers;

    /// <summary>No RequestAuthentication: tokens are not looked at.</summary>
    public static JwtAuthenticator None { get; } = new([]);

    public bool IsEmpty => _issuers.Length == 0;

    /// <summary>Compiles the providers; throws <see cref="ArgumentException"/> for a key set that cannot be read.</summary>
    public static JwtAuthenticator Compile(JwtAuthentication authentication)
    {
        var issuers = new JwtIssuer[authentication.Providers.Count];
        for (var i = 0; i < issuers.Length; i++)
        {
            issuers[i] = JwtIssuer.Compile(authentication.Providers[i]);
        }

        return new JwtAuthenticator(issuers);
    }

    /// <summary>Finds and checks the request's token. On success with a token, applies the issuer's header outputs.</summary>
    public async ValueTask<JwtResult> AuthenticateAsync(HttpRequest request, TimeProvider time)
    {
        foreach (var issuer in _issuers)
        {
            if (!issuer.TryFindToken(request, out var token, out var location))
            {
                continue;
            }

            var result = await ValidateAsync(token, time.GetUtcNow().UtcDateTime).ConfigureAwait(false);
            if (result.Identity is { } identity)
            {
                FindIssuer(identity.Issuer)?.ApplyOutputs(request, location, result.Payload, identity);
            }

            return result;
        }

        return JwtResult.NoToken;
    }

    private async ValueTask<JwtResult> ValidateAsync(string encoded, DateTime now)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(encoded);
        }
        catch (ArgumentException)
        {
            return JwtResult.Fail("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
        }

        var issuer = FindIssuer(token.Issuer);
        if (issuer is null)
        {
            return JwtResult.Fail("Jwt issuer is not configured");
        }

        if (token.TryGetPayloadValue<long>("exp", out _) && token.ValidTo.Add(ClockSkew) < now)
        {
            return JwtResult.Fail("Jwt is expired");
        }

        if (token.TryGetPayloadValue<long>("nbf", out _) && token.ValidFrom.Subtract(ClockSkew) > now)
        {
            return JwtResult.Fail("Jwt not yet valid");
        }

        var validation = await _handler.ValidateTokenAsync(token, issuer.Parameters).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return JwtResult.Fail(validation.Exception is SecurityTokenInvalidAudienceException ? "Audiences in Jwt are not allowed" : "Jwt verification fails");
        }

        var payload = Base64Url.DecodeFromChars(token.EncodedPayload);
        using var claims = JsonDocument.Parse(payload);
        token.TryGetPayloadValue<string>("sub", out var subject);
        return JwtResult.Valid(new RequestIdentity(token.Issuer, subject ?? "", claims.RootElement.Clone()), token.EncodedPayload);
    }

    private JwtIssuer? FindIssuer(string issuer)
    {
        foreach (var candidate in _issuers)
        {
            if (candidate.Issuer == issuer)
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>What checking a request's token found.</summary>
/// <param name="Identity">The validated token; null without token or when it failed.</param>
/// <param name="Failure">Why the token was refused; null when there was none or it was valid.</param>
/// <param name="Payload">The token's payload, base64url-encoded, as received.</param>
internal readonly record struct JwtResult(RequestIdentity? Identity, string? Failure, string? Payload)
{
    public static JwtResult NoToken => default;

    public static JwtResult Fail(string reason) => new(null, reason, null);

    public static JwtResult Valid(RequestIdentity identity, string payload) => new(identity, null, payload);
}
