using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Heddle.Proxy.Tests.Authentication;

/// <summary>An RSA signing key of a test issuer, its JSON Web Key Set, and tokens signed with it.</summary>
internal sealed class TestTokens : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public TestTokens(string issuer, string keyId = "test-key")
    {
        Issuer = issuer;
        KeyId = keyId;
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        Jwks = $$"""{"keys":[{"kty":"RSA","kid":"{{keyId}}","use":"sig","alg":"RS256","n":"{{Base64Url.EncodeToString(parameters.Modulus)}}","e":"{{Base64Url.EncodeToString(parameters.Exponent)}}"}]}""";
    }

    public string Issuer { get; }

    public string KeyId { get; }

    public string Jwks { get; }

    public string Create(string subject, DateTime expires, IDictionary<string, object>? claims = null, string? issuer = null, string? audience = null)
    {
        var all = new Dictionary<string, object>(claims ?? new Dictionary<string, object>()) { ["sub"] = subject };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = all,
            IssuedAt = expires.AddHours(-2),
            NotBefore = expires.AddHours(-2),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token whose header says <c>alg: none</c> and that carries no signature.</summary>
    public string Unsigned(string subject, DateTime expires)
    {
        var header = Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8);
        var payload = Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes($$"""{"iss":"{{Issuer}}","sub":"{{subject}}","exp":{{new DateTimeOffset(expires).ToUnixTimeSeconds()}}}"""));
        return header + "." + payload + ".";
    }

    public void Dispose() => _rsa.Dispose();
}
