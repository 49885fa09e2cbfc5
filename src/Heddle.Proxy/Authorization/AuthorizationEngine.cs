using Heddle.Discovery.V1;

namespace Heddle.Proxy.Authorization;

/// <summary>
/// The AuthorizationPolicies of this proxy's workload, compiled. Istio's order: a matching DENY policy denies; then,
/// when any ALLOW policy exists, the request must match one of them; AUDIT policies decide nothing. Evaluation does
/// not allocate.
/// </summary>
internal sealed class AuthorizationEngine
{
    private readonly CompiledPolicy[] _deny;
    private readonly CompiledPolicy[] _allow;

    private AuthorizationEngine(CompiledPolicy[] deny, CompiledPolicy[] allow)
    {
        _deny = deny;
        _allow = allow;
    }

    /// <summary>No policies: every request is allowed.</summary>
    public static AuthorizationEngine AllowAll { get; } = new([], []);

    public bool IsEmpty => _deny.Length == 0 && _allow.Length == 0;

    public static AuthorizationEngine Compile(AuthorizationPolicies policies)
    {
        var deny = new List<CompiledPolicy>();
        var allow = new List<CompiledPolicy>();
        foreach (var policy in policies.Policies)
        {
            switch (policy.Action)
            {
                case AuthorizationPolicy.Types.Action.Deny:
                    deny.Add(CompiledPolicy.Compile(policy));
                    break;
                case AuthorizationPolicy.Types.Action.Allow:
                    allow.Add(CompiledPolicy.Compile(policy));
                    break;
                case AuthorizationPolicy.Types.Action.Custom:
                    // An external authorizer that cannot be called must not let requests through unchecked.
                    deny.Add(CompiledPolicy.Compile(policy));
                    break;
            }
        }

        return new AuthorizationEngine([.. deny], [.. allow]);
    }

    public AuthorizationDecision Evaluate(in AuthorizationInput input)
    {
        foreach (var policy in _deny)
        {
            if (policy.Matches(input))
            {
                return new AuthorizationDecision(false, policy.Name);
            }
        }

        if (_allow.Length == 0)
        {
            return AuthorizationDecision.Allow;
        }

        foreach (var policy in _allow)
        {
            if (policy.Matches(input))
            {
                return AuthorizationDecision.Allow;
            }
        }

        return new AuthorizationDecision(false, null);
    }
}
