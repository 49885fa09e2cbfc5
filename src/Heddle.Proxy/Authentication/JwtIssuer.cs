using System.Text.Json;
using Heddle.Discovery.V1;
using Heddle.Proxy.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace Heddle.Proxy.Authentication;

/// <summary>One accepted issuer: its keys and audiences, where its tokens are carried, and what is copied from a
/// valid token into the request.</summary>
internal sealed class JwtIssuer
{
    private static readonly JwtHeaderLocation DefaultHeader = new() { Name = "authorization", Prefix = "Bearer " };
    private const string DefaultParam = "access_token";

    private readonly JwtHeaderLocation[] _headers;
    private readonly string[] _params;
    private readonly bool _forwardOriginalToken;
    private readonly string _payloadHeader;
    private readonly JwtClaimToHeader[] _claimHeaders;

    private JwtIssuer(JwtProvider provider, TokenValidationParameters parameters)
    {
        Issuer = provider.Issuer;
        Parameters = parameters;
        var defaults = provider.FromHeaders.Count == 0 && provider.FromParams.Count == 0 && provider.FromCookies.Count == 0;
        _headers = defaults ? [DefaultHeader] : [.. provider.FromHeaders];
        _params = defaults ? [DefaultParam] : [.. provider.FromParams];
        _forwardOriginalToken = provider.ForwardOriginalToken;
        _payloadHeader = provider.OutputPayloadToHeader;
        _claimHeaders = [.. provider.OutputClaimToHeaders];
    }

    public string Issuer { get; }

    public TokenValidationParameters Parameters { get; }

    public static JwtIssuer Compile(JwtProvider provider)
    {
        // A key set that could not be fetched leaves no key: every token of this issuer fails verification.
        var keys = provider.Jwks.Length == 0 ? [] : new JsonWebKeySet(provider.Jwks).GetSigningKeys();
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = provider.Issuer,
            IssuerSigningKeys = keys,
            ValidateAudience = provider.Audiences.Count > 0,
            ValidAudiences = [.. provider.Audiences],
            // Lifetime is checked against the proxy's clock before the signature.
            ValidateLifetime = false,
            RequireExpirationTime = false,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
        };
        return new JwtIssuer(provider, parameters);
    }

    /// <summary>The first token in this issuer's places: headers (after their prefix), then query parameters.</summary>
    public bool TryFindToken(HttpRequest request, out string token, out string? header)
    {
        foreach (var location in _headers)
        {
            var value = request.Headers[location.Name].ToString();
            if (value.Length > location.Prefix.Length && value.StartsWith(location.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                token = value[location.Prefix.Length..].Trim();
                header = location.Name;
                return true;
            }
        }

        foreach (var name in _params)
        {
            if (request.Query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]))
            {
                token = values[0]!;
                header = null;
                return true;
            }
        }

        token = "";
        header = null;
        return false;
    }

    /// <summary>Removes the token (unless forwarded) and adds the payload and claim headers the issuer names.</summary>
    public void ApplyOutputs(HttpRequest request, string? tokenHeader, string? payload, RequestIdentity identity)
    {
        if (!_forwardOriginalToken && tokenHeader is not null)
        {
            request.Headers.Remove(tokenHeader);
        }

        if (_payloadHeader.Length > 0 && payload is not null)
        {
            request.Headers[_payloadHeader] = payload;
        }

        foreach (var claim in _claimHeaders)
        {
            if (identity.Claims.ValueKind == JsonValueKind.Object && identity.Claims.TryGetProperty(claim.Claim, out var value))
            {
                request.Headers[claim.Header] = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
            }
        }
    }
}
