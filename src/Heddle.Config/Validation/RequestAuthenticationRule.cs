using System.Text.Json;
using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A RequestAuthentication's JWT rules can be used: inline keys are a JSON Web Key Set, key URIs are HTTP(S)
/// URLs, token headers have names, and no two rules name the same issuer.</summary>
internal sealed class RequestAuthenticationRule : ResourceRule<RequestAuthentication>
{
    protected override void Check(RequestAuthentication resource, RuleContext context)
    {
        var issuers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < resource.Spec.JwtRules.Length; i++)
        {
            var rule = resource.Spec.JwtRules[i];
            var path = FieldPath.Index("spec.jwtRules", i);
            if (rule.Issuer is { Length: > 0 } issuer && !issuers.Add(issuer))
            {
                context.Error(resource, FieldPath.Field(path, "issuer"), $"issuer \"{issuer}\" appears in more than one rule");
            }

            if (rule.Jwks is { } jwks && !IsKeySet(jwks, out var reason))
            {
                context.Error(resource, FieldPath.Field(path, "jwks"), $"not a JSON Web Key Set: {reason}");
            }

            if (rule.JwksUri is { } uri
                && (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)))
            {
                context.Error(resource, FieldPath.Field(path, "jwksUri"), $"\"{uri}\" is not an http(s) URL");
            }

            if (rule.Jwks is null && rule.JwksUri is null)
            {
                context.Warning(resource, path, "neither jwks nor jwksUri is set; Heddle does not discover keys through OpenID configuration, so every token of this issuer is refused");
            }

            for (var h = 0; h < rule.FromHeaders.Length; h++)
            {
                if (string.IsNullOrEmpty(rule.FromHeaders[h].Name))
                {
                    context.Error(resource, FieldPath.Field(FieldPath.Index(FieldPath.Field(path, "fromHeaders"), h), "name"), "required field is missing");
                }
            }

            for (var c = 0; c < rule.OutputClaimToHeaders.Length; c++)
            {
                var claim = rule.OutputClaimToHeaders[c];
                var claimPath = FieldPath.Index(FieldPath.Field(path, "outputClaimToHeaders"), c);
                if (string.IsNullOrEmpty(claim.Header))
                {
                    context.Error(resource, FieldPath.Field(claimPath, "header"), "required field is missing");
                }

                if (string.IsNullOrEmpty(claim.Claim))
                {
                    context.Error(resource, FieldPath.Field(claimPath, "claim"), "required field is missing");
                }
            }
        }
    }

    private static bool IsKeySet(string json, out string reason)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                reason = "expected an object with a \"keys\" array";
                return false;
            }

            reason = "";
            return true;
        }
        catch (JsonException e)
        {
            reason = e.Message;
            return false;
        }
    }
}
