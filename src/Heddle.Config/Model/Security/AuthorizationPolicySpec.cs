using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>The spec of an AuthorizationPolicy.</summary>
public sealed record AuthorizationPolicySpec
{
    /// <summary>The workloads the policy applies to; absent: every workload of the namespace (of the mesh, in the
    /// root namespace).</summary>
    public WorkloadMatchSelector? Selector { get; init; }

    /// <summary>Gateway API references (not used by sidecars).</summary>
    public PolicyTargetReference? TargetRef { get; init; }

    /// <summary>Gateway API references (not used by sidecars).</summary>
    public ImmutableArray<PolicyTargetReference> TargetRefs { get; init; } = [];

    /// <summary>Rules, any of which matches a request; none: the policy matches no request.</summary>
    public ImmutableArray<AuthorizationRule> Rules { get; init; } = [];

    /// <summary>What a match does; ALLOW when absent.</summary>
    public AuthorizationAction? Action { get; init; }

    /// <summary>The external authorizer of a CUSTOM policy.</summary>
    public ExtensionProvider? Provider { get; init; }
}

/// <summary>What an AuthorizationPolicy does with the requests it matches.</summary>
public enum AuthorizationAction
{
    /// <summary>Allow matching requests; once any ALLOW policy applies, requests matching none are denied.</summary>
    Allow,

    /// <summary>Deny matching requests.</summary>
    Deny,

    /// <summary>Only record matching requests.</summary>
    Audit,

    /// <summary>Ask the external authorizer named by <c>provider</c>.</summary>
    Custom,
}

/// <summary>The external authorizer of a CUSTOM policy, by its name in the mesh config's extension providers.</summary>
public sealed record ExtensionProvider
{
    /// <summary>The provider's name.</summary>
    public string? Name { get; init; }
}

/// <summary>A Gateway API policy target.</summary>
public sealed record PolicyTargetReference
{
    /// <summary>API group of the target.</summary>
    public string? Group { get; init; }

    /// <summary>Kind of the target.</summary>
    public string? Kind { get; init; }

    /// <summary>Name of the target.</summary>
    public string? Name { get; init; }

    /// <summary>Namespace of the target.</summary>
    public string? Namespace { get; init; }
}

/// <summary>One rule: every part (from, to, when) must match; an empty rule matches every request.</summary>
public sealed record AuthorizationRule
{
    /// <summary>Sources, any of which must match; none: any source.</summary>
    public ImmutableArray<RuleFrom> From { get; init; } = [];

    /// <summary>Operations, any of which must match; none: any operation.</summary>
    public ImmutableArray<RuleTo> To { get; init; } = [];

    /// <summary>Conditions, all of which must hold.</summary>
    public ImmutableArray<AuthorizationCondition> When { get; init; } = [];
}

/// <summary>One source of a rule.</summary>
public sealed record RuleFrom
{
    /// <summary>The source's attributes.</summary>
    public AuthorizationSource? Source { get; init; }
}

/// <summary>One operation of a rule.</summary>
public sealed record RuleTo
{
    /// <summary>The operation's attributes.</summary>
    public AuthorizationOperation? Operation { get; init; }
}

/// <summary>Who calls: every field set must match (values of one field are alternatives).</summary>
public sealed record AuthorizationSource
{
    /// <summary>Peer identities, e.g. <c>cluster.local/ns/default/sa/sleep</c>; <c>*</c>, prefix* and *suffix allowed.</summary>
    public ImmutableArray<string> Principals { get; init; } = [];

    /// <summary>Peer identities that must not match.</summary>
    public ImmutableArray<string> NotPrincipals { get; init; } = [];

    /// <summary>JWT identities, <c>iss/sub</c>.</summary>
    public ImmutableArray<string> RequestPrincipals { get; init; } = [];

    /// <summary>JWT identities that must not match.</summary>
    public ImmutableArray<string> NotRequestPrincipals { get; init; } = [];

    /// <summary>Namespaces of the peer identity.</summary>
    public ImmutableArray<string> Namespaces { get; init; } = [];

    /// <summary>Namespaces that must not match.</summary>
    public ImmutableArray<string> NotNamespaces { get; init; } = [];

    /// <summary>Service accounts of the peer identity, <c>namespace/name</c>.</summary>
    public ImmutableArray<string> ServiceAccounts { get; init; } = [];

    /// <summary>Service accounts that must not match.</summary>
    public ImmutableArray<string> NotServiceAccounts { get; init; } = [];

    /// <summary>Addresses or CIDR blocks of the peer connection.</summary>
    public ImmutableArray<string> IpBlocks { get; init; } = [];

    /// <summary>Blocks that must not match.</summary>
    public ImmutableArray<string> NotIpBlocks { get; init; } = [];

    /// <summary>Addresses or CIDR blocks of the original client (X-Forwarded-For).</summary>
    public ImmutableArray<string> RemoteIpBlocks { get; init; } = [];

    /// <summary>Blocks that must not match.</summary>
    public ImmutableArray<string> NotRemoteIpBlocks { get; init; } = [];
}

/// <summary>What is called: every field set must match (values of one field are alternatives).</summary>
public sealed record AuthorizationOperation
{
    /// <summary>Hosts (Host header), case-insensitive; prefix*, *suffix and <c>*</c> allowed.</summary>
    public ImmutableArray<string> Hosts { get; init; } = [];

    /// <summary>Hosts that must not match.</summary>
    public ImmutableArray<string> NotHosts { get; init; } = [];

    /// <summary>Destination ports.</summary>
    public ImmutableArray<string> Ports { get; init; } = [];

    /// <summary>Ports that must not match.</summary>
    public ImmutableArray<string> NotPorts { get; init; } = [];

    /// <summary>HTTP methods.</summary>
    public ImmutableArray<string> Methods { get; init; } = [];

    /// <summary>Methods that must not match.</summary>
    public ImmutableArray<string> NotMethods { get; init; } = [];

    /// <summary>Paths without the query string; prefix*, *suffix and <c>*</c> allowed.</summary>
    public ImmutableArray<string> Paths { get; init; } = [];

    /// <summary>Paths that must not match.</summary>
    public ImmutableArray<string> NotPaths { get; init; } = [];
}

/// <summary>A condition on a request attribute (<c>key</c>): one of <c>values</c>, none of <c>notValues</c>.</summary>
public sealed record AuthorizationCondition
{
    /// <summary>The attribute, e.g. <c>request.headers[version]</c>, <c>source.ip</c>, <c>request.auth.claims[iss]</c>.</summary>
    [Required]
    public string? Key { get; init; }

    /// <summary>Values, any of which must match.</summary>
    public ImmutableArray<string> Values { get; init; } = [];

    /// <summary>Values none of which may match.</summary>
    public ImmutableArray<string> NotValues { get; init; } = [];
}
