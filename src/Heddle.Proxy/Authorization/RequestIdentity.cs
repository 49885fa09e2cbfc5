using System.Text.Json;

namespace Heddle.Proxy.Authorization;

/// <summary>A request's validated JWT: <c>iss/sub</c> as its principal, and its claims.</summary>
internal sealed class RequestIdentity(string issuer, string subject, JsonElement claims)
{
    public string Issuer { get; } = issuer;

    /// <summary><c>iss/sub</c>, as <c>requestPrincipals</c> and <c>request.auth.principal</c> name it.</summary>
    public string Principal { get; } = issuer + "/" + subject;

    public JsonElement Claims { get; } = claims;

    /// <summary>Whether the claim at <paramref name="path"/> (nested names, outermost first) is, or holds in its list,
    /// a string one of <paramref name="patterns"/> matches.</summary>
    public bool ClaimMatches(string[] path, PatternSet patterns)
    {
        var element = Claims;
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return false;
            }
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return patterns.MatchesAny(element.GetString());
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String && patterns.MatchesAny(item.GetString()))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number:
                return patterns.MatchesAny(element.GetRawText());
            default:
                return false;
        }
    }

    /// <summary>The token's <c>aud</c> values and <c>azp</c>.</summary>
    public bool AudienceMatches(PatternSet patterns) => ClaimMatches(AudiencePath, patterns);

    public bool PresenterMatches(PatternSet patterns) => ClaimMatches(PresenterPath, patterns);

    private static readonly string[] AudiencePath = ["aud"];
    private static readonly string[] PresenterPath = ["azp"];
}
