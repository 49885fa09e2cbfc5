using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Istio <c>RequestAuthentication</c>: which JWTs the selected workloads accept.</summary>
public sealed record RequestAuthentication() : Resource<RequestAuthenticationSpec>(ApiVersions.IstioSecurityV1)
{
    /// <summary>The kind as written in YAML.</summary>
    public const string KindName = "RequestAuthentication";

    /// <inheritdoc/>
    public override string Kind => KindName;
}

/// <summary>The spec of a RequestAuthentication.</summary>
public sealed record RequestAuthenticationSpec
{
    /// <summary>The workloads it applies to; absent: every workload of the namespace (of the mesh, in the root namespace).</summary>
    public WorkloadMatchSelector? Selector { get; init; }

    /// <summary>Gateway API references (not used by sidecars).</summary>
    public PolicyTargetReference? TargetRef { get; init; }

    /// <summary>Gateway API references (not used by sidecars).</summary>
    public ImmutableArray<PolicyTargetReference> TargetRefs { get; init; } = [];

    /// <summary>The accepted issuers.</summary>
    public ImmutableArray<JwtRule> JwtRules { get; init; } = [];
}

/// <summary>One accepted issuer: where its keys are, which audiences, where the token is carried.</summary>
public sealed record JwtRule
{
    /// <summary>The token's <c>iss</c>.</summary>
    [Required]
    public string? Issuer { get; init; }

    /// <summary>Accepted <c>aud</c> values; none: any audience.</summary>
    public ImmutableArray<string> Audiences { get; init; } = [];

    /// <summary>Where the JSON Web Key Set is served.</summary>
    public string? JwksUri { get; init; }

    /// <summary>The JSON Web Key Set inline.</summary>
    public string? Jwks { get; init; }

    /// <summary>Headers carrying the token; none: <c>Authorization: Bearer</c>.</summary>
    public ImmutableArray<JwtHeader> FromHeaders { get; init; } = [];

    /// <summary>Query parameters carrying the token; none (and no headers): <c>access_token</c>.</summary>
    public ImmutableArray<string> FromParams { get; init; } = [];

    /// <summary>Cookies carrying the token.</summary>
    public ImmutableArray<string> FromCookies { get; init; } = [];

    /// <summary>Header that receives the token's payload, base64url-encoded.</summary>
    public string? OutputPayloadToHeader { get; init; }

    /// <summary>Whether the token is forwarded to the application (removed by default).</summary>
    public bool? ForwardOriginalToken { get; init; }

    /// <summary>Claims copied into request headers.</summary>
    public ImmutableArray<ClaimToHeader> OutputClaimToHeaders { get; init; } = [];

    /// <summary>How long fetched keys are cached.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>A header that carries a token, with the prefix before it (e.g. <c>Bearer </c>).</summary>
public sealed record JwtHeader
{
    /// <summary>Header name.</summary>
    public string? Name { get; init; }

    /// <summary>Text before the token.</summary>
    public string? Prefix { get; init; }
}

/// <summary>A claim copied into a request header.</summary>
public sealed record ClaimToHeader
{
    /// <summary>Header name.</summary>
    public string? Header { get; init; }

    /// <summary>Claim name.</summary>
    public string? Claim { get; init; }
}
