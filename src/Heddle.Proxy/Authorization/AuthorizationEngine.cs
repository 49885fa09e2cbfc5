using Heddle.Discovery.V1;

namespace Heddle.Proxy.Authorization;

/// <summary>
/// The AuthorizationPolicies of this proxy's workload, compiled. Istio's order: a matching CUSTOM policy sends the
/// request to its external authorizer (see <see cref="MatchCustom"/>; HTTP only); then a matching DENY policy denies;
/// then, when any ALLOW policy exists, the request must match one of them; AUDIT policies decide nothing. TCP
/// connections go through the same DENY and ALLOW policies (<see cref="AuthorizationInput.Tcp"/>). Evaluation does
/// not allocate.
/// </summary>
internal sealed class AuthorizationEngine
{
    private readonly (CompiledPolicy Policy, ExternalAuthorizerConfig Authorizer)[] _custom;
    private readonly CompiledPolicy[] _deny;
    private readonly CompiledPolicy[] _allow;

    private AuthorizationEngine((CompiledPolicy, ExternalAuthorizerConfig)[] custom, CompiledPolicy[] deny, CompiledPolicy[] allow)
    {
        _custom = custom;
        _deny = deny;
        _allow = allow;
    }

    /// <summary>No policies: every request is allowed.</summary>
    public static AuthorizationEngine AllowAll { get; } = new([], [], []);

    public bool IsEmpty => _custom.Length == 0 && _deny.Length == 0 && _allow.Length == 0;

    public bool HasCustom => _custom.Length > 0;

    public static AuthorizationEngine Compile(AuthorizationPolicies policies)
    {
        var custom = new List<(CompiledPolicy, ExternalAuthorizerConfig)>();
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
                    custom.Add((CompiledPolicy.Compile(policy), ExternalAuthorizerConfig.Compile(policy.Provider ?? new AuthorizationProvider())));
                    break;
            }
        }

        return new AuthorizationEngine([.. custom], [.. deny], [.. allow]);
    }

    /// <summary>The external authorizer of the first CUSTOM policy the request matches; null when it matches none.</summary>
    public ExternalAuthorizerConfig? MatchCustom(in AuthorizationInput input)
    {
        foreach (var (policy, authorizer) in _custom)
        {
            if (policy.Matches(input))
            {
                return authorizer;
            }
        }

        return null;
    }

    /// <summary>The DENY and ALLOW policies' decision (CUSTOM policies are asked first, by the caller).</summary>
    public AuthorizationDecision Evaluate(in AuthorizationInput input)
    {
        foreach (var policy in _deny)
        {
            var rule = policy.MatchingRule(input);
            if (rule >= 0)
            {
                return new AuthorizationDecision(false, policy.Name, rule);
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
