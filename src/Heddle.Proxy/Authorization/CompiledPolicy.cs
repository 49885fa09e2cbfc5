using System.Globalization;
using System.Net;
using Heddle.Discovery.V1;

namespace Heddle.Proxy.Authorization;

/// <summary>One policy: it matches a request when any of its rules does (a policy without rules matches none).
/// For a TCP connection, Istio's rule on HTTP-only fields applies: an ALLOW rule that uses one never matches, while
/// in any other policy those fields are left out of the rule (a DENY rule then denies more, never less).</summary>
internal sealed class CompiledPolicy
{
    private readonly CompiledRule[] _rules;
    private readonly bool _allow;

    private CompiledPolicy(string name, CompiledRule[] rules, bool allow)
    {
        Name = name;
        _rules = rules;
        _allow = allow;
    }

    public string Name { get; }

    public static CompiledPolicy Compile(AuthorizationPolicy policy)
    {
        var rules = new CompiledRule[policy.Rules.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = CompiledRule.Compile(policy.Rules[i]);
        }

        return new CompiledPolicy(policy.Name, rules, policy.Action == AuthorizationPolicy.Types.Action.Allow);
    }

    public bool Matches(in AuthorizationInput input) => MatchingRule(input) >= 0;

    /// <summary>The index of the first rule that matches, or -1.</summary>
    public int MatchingRule(in AuthorizationInput input)
    {
        var tcp = input.IsTcp;
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (tcp && _allow && rule.HttpOnly)
            {
                continue;
            }

            if (rule.Matches(input))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>One rule: one of its sources, one of its operations and all of its conditions (empty parts hold).</summary>
internal sealed class CompiledRule
{
    private readonly CompiledSource[] _from;
    private readonly CompiledOperation[] _to;
    private readonly CompiledCondition[] _when;

    private CompiledRule(CompiledSource[] from, CompiledOperation[] to, CompiledCondition[] when)
    {
        _from = from;
        _to = to;
        _when = when;
        HttpOnly = Array.Exists(from, static s => s.HttpOnly) || Array.Exists(to, static o => o.HttpOnly) || Array.Exists(when, static c => c.HttpOnly);
    }

    /// <summary>The rule names a field only HTTP has (<c>requestPrincipals</c>, <c>hosts</c>, <c>methods</c>,
    /// <c>paths</c>, <c>request.*</c> conditions, or their negations).</summary>
    public bool HttpOnly { get; }

    public static CompiledRule Compile(AuthorizationRule rule) => new(
        [.. rule.From.Select(CompiledSource.Compile)],
        [.. rule.To.Select(CompiledOperation.Compile)],
        [.. rule.When.Select(CompiledCondition.Compile)]);

    public bool Matches(in AuthorizationInput input) => AnySource(input) && AnyOperation(input) && AllConditions(input);

    private bool AnySource(in AuthorizationInput input)
    {
        if (_from.Length == 0)
        {
            return true;
        }

        foreach (var source in _from)
        {
            if (source.Matches(input))
            {
                return true;
            }
        }

        return false;
    }

    private bool AnyOperation(in AuthorizationInput input)
    {
        if (_to.Length == 0)
        {
            return true;
        }

        foreach (var operation in _to)
        {
            if (operation.Matches(input))
            {
                return true;
            }
        }

        return false;
    }

    private bool AllConditions(in AuthorizationInput input)
    {
        foreach (var condition in _when)
        {
            if (!condition.Holds(input))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Who calls: every field that has values holds.</summary>
internal sealed class CompiledSource
{
    private PatternSet _principals;
    private PatternSet _notPrincipals;
    private PatternSet _requestPrincipals;
    private PatternSet _notRequestPrincipals;
    private PatternSet _namespaces;
    private PatternSet _notNamespaces;
    private PatternSet _serviceAccounts;
    private PatternSet _notServiceAccounts;
    private IpBlockSet _ipBlocks;
    private IpBlockSet _notIpBlocks;
    private IpBlockSet _remoteIpBlocks;
    private IpBlockSet _notRemoteIpBlocks;

    public static CompiledSource Compile(AuthorizationSource source) => new()
    {
        _principals = PatternSet.Parse(source.Principals),
        _notPrincipals = PatternSet.Parse(source.NotPrincipals),
        _requestPrincipals = PatternSet.Parse(source.RequestPrincipals),
        _notRequestPrincipals = PatternSet.Parse(source.NotRequestPrincipals),
        _namespaces = PatternSet.Parse(source.Namespaces),
        _notNamespaces = PatternSet.Parse(source.NotNamespaces),
        // "ns/name" is the identity ".../ns/<ns>/sa/<name>" in any trust domain.
        _serviceAccounts = PatternSet.Parse([.. source.ServiceAccounts.Select(ServiceAccountPattern)]),
        _notServiceAccounts = PatternSet.Parse([.. source.NotServiceAccounts.Select(ServiceAccountPattern)]),
        _ipBlocks = IpBlockSet.Parse(source.IpBlocks),
        _notIpBlocks = IpBlockSet.Parse(source.NotIpBlocks),
        _remoteIpBlocks = IpBlockSet.Parse(source.RemoteIpBlocks),
        _notRemoteIpBlocks = IpBlockSet.Parse(source.NotRemoteIpBlocks),
    };

    public bool HttpOnly => !_requestPrincipals.IsEmpty || !_notRequestPrincipals.IsEmpty;

    public bool Matches(in AuthorizationInput input)
    {
        var principal = input.PeerPrincipal;
        var requestPrincipal = input.Jwt?.Principal;
        var source = input.SourceAddress;
        return _principals.Allows(principal) && _notPrincipals.Excludes(principal)
            && _serviceAccounts.Allows(principal) && _notServiceAccounts.Excludes(principal)
            && _namespaces.Allows(input.PeerNamespace) && _notNamespaces.Excludes(input.PeerNamespace)
            && (input.IsTcp || (_requestPrincipals.Allows(requestPrincipal) && _notRequestPrincipals.Excludes(requestPrincipal)))
            && _ipBlocks.Allows(source) && _notIpBlocks.Excludes(source)
            // remote.ip: without trusted proxies in front of the sidecar, the original client is the peer.
            && _remoteIpBlocks.Allows(source) && _notRemoteIpBlocks.Excludes(source);
    }

    internal static string ServiceAccountPattern(string serviceAccount)
    {
        var slash = serviceAccount.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? serviceAccount : "*/ns/" + serviceAccount[..slash] + "/sa/" + serviceAccount[(slash + 1)..];
    }
}

/// <summary>What is called: every field that has values holds.</summary>
internal sealed class CompiledOperation
{
    private PatternSet _hosts;
    private PatternSet _notHosts;
    private PortSet _ports;
    private PortSet _notPorts;
    private PatternSet _methods;
    private PatternSet _notMethods;
    private PatternSet _paths;
    private PatternSet _notPaths;

    public static CompiledOperation Compile(AuthorizationOperation operation) => new()
    {
        _hosts = PatternSet.Parse(operation.Hosts, ignoreCase: true),
        _notHosts = PatternSet.Parse(operation.NotHosts, ignoreCase: true),
        _ports = PortSet.Parse(operation.Ports),
        _notPorts = PortSet.Parse(operation.NotPorts),
        _methods = PatternSet.Parse(operation.Methods),
        _notMethods = PatternSet.Parse(operation.NotMethods),
        _paths = PatternSet.Parse(operation.Paths),
        _notPaths = PatternSet.Parse(operation.NotPaths),
    };

    public bool HttpOnly => !_hosts.IsEmpty || !_notHosts.IsEmpty || !_methods.IsEmpty || !_notMethods.IsEmpty || !_paths.IsEmpty || !_notPaths.IsEmpty;

    public bool Matches(in AuthorizationInput input)
    {
        if (input.Request is not { } request)
        {
            // TCP: only the port can be evaluated.
            return _ports.Allows(input.DestinationPort) && _notPorts.Excludes(input.DestinationPort);
        }

        var method = request.Method;
        var path = request.Path.Value ?? "/";
        return _methods.Allows(method) && _notMethods.Excludes(method)
            && _paths.Allows(path) && _notPaths.Excludes(path)
            && _ports.Allows(input.DestinationPort) && _notPorts.Excludes(input.DestinationPort)
            && HostAllowed(request);
    }

    private bool HostAllowed(HttpRequest request)
    {
        if (_hosts.IsEmpty && _notHosts.IsEmpty)
        {
            return true;
        }

        // A host matches with or without the port the request names.
        var authority = request.Host.Value;
        if (authority is null)
        {
            return _hosts.IsEmpty;
        }

        var host = WithoutPort(authority);
        var matched = _hosts.IsEmpty || _hosts.MatchesAny(authority) || _hosts.MatchesAny(host);
        return matched && (_notHosts.IsEmpty || (!_notHosts.MatchesAny(authority) && !_notHosts.MatchesAny(host)));
    }

    private static ReadOnlySpan<char> WithoutPort(string authority)
    {
        var colon = authority.LastIndexOf(':');
        var bracket = authority.LastIndexOf(']');
        return colon > bracket ? authority.AsSpan(0, colon) : authority.AsSpan();
    }
}

/// <summary>A <c>when</c> condition: the attribute matches one of the values (if any) and none of the not-values.</summary>
internal sealed class CompiledCondition
{
    private enum Attribute
    {
        Header,
        Claim,
        SourceIp,
        RemoteIp,
        DestinationIp,
        DestinationPort,
        SourceNamespace,
        SourcePrincipal,
        SourceServiceAccount,
        RequestPrincipal,
        RequestAudiences,
        RequestPresenter,
        ServerName,
    }

    private Attribute _attribute;
    private string _name = "";
    private string[] _claimPath = [];
    private PatternSet _values;
    private PatternSet _notValues;
    private IpBlockSet _ipValues;
    private IpBlockSet _ipNotValues;
    private PortSet _portValues;
    private PortSet _portNotValues;

    public static CompiledCondition Compile(AuthorizationCondition condition)
    {
        var key = condition.Key;
        var compiled = new CompiledCondition();
        if (TryMapKey(key, "request.headers", out var header))
        {
            compiled._attribute = Attribute.Header;
            compiled._name = header;
        }
        else if (TryMapKey(key, "request.auth.claims", out var claim))
        {
            compiled._attribute = Attribute.Claim;
            // Nested claims are written request.auth.claims[a][b].
            compiled._claimPath = claim.Split("][", StringSplitOptions.None);
        }
        else
        {
            compiled._attribute = key switch
            {
                "source.ip" => Attribute.SourceIp,
                "remote.ip" => Attribute.RemoteIp,
                "destination.ip" => Attribute.DestinationIp,
                "destination.port" => Attribute.DestinationPort,
                "source.namespace" => Attribute.SourceNamespace,
                "source.principal" => Attribute.SourcePrincipal,
                "source.serviceAccount" => Attribute.SourceServiceAccount,
                "request.auth.principal" => Attribute.RequestPrincipal,
                "request.auth.audiences" => Attribute.RequestAudiences,
                "request.auth.presenter" => Attribute.RequestPresenter,
                "connection.sni" => Attribute.ServerName,
                _ => throw new FormatException($"unknown condition key '{key}'"),
            };
        }

        if (compiled._attribute == Attribute.SourceServiceAccount)
        {
            // Compared with the peer's identity, as the source's serviceAccounts field is.
            compiled._attribute = Attribute.SourcePrincipal;
            compiled._values = PatternSet.Parse([.. condition.Values.Select(CompiledSource.ServiceAccountPattern)]);
            compiled._notValues = PatternSet.Parse([.. condition.NotValues.Select(CompiledSource.ServiceAccountPattern)]);
        }
        else
        {
            compiled._values = PatternSet.Parse(condition.Values);
            compiled._notValues = PatternSet.Parse(condition.NotValues);
        }
        if (compiled._attribute is Attribute.SourceIp or Attribute.RemoteIp or Attribute.DestinationIp)
        {
            compiled._ipValues = IpBlockSet.Parse(condition.Values);
            compiled._ipNotValues = IpBlockSet.Parse(condition.NotValues);
        }
        else if (compiled._attribute == Attribute.DestinationPort)
        {
            compiled._portValues = PortSet.Parse(condition.Values);
            compiled._portNotValues = PortSet.Parse(condition.NotValues);
        }

        return compiled;
    }

    /// <summary>The condition reads the request (headers, token): TCP has neither.</summary>
    public bool HttpOnly => _attribute is Attribute.Header or Attribute.Claim or Attribute.RequestPrincipal or Attribute.RequestAudiences or Attribute.RequestPresenter;

    public bool Holds(in AuthorizationInput input)
    {
        if (input.IsTcp && HttpOnly)
        {
            // Left out of the rule (an ALLOW rule with it was skipped before).
            return true;
        }

        switch (_attribute)
        {
            case Attribute.SourceIp:
            case Attribute.RemoteIp:
                return _ipValues.Allows(input.SourceAddress) && _ipNotValues.Excludes(input.SourceAddress);
            case Attribute.DestinationIp:
                return _ipValues.Allows(input.DestinationAddress) && _ipNotValues.Excludes(input.DestinationAddress);
            case Attribute.DestinationPort:
                return _portValues.Allows(input.DestinationPort) && _portNotValues.Excludes(input.DestinationPort);
            case Attribute.Header:
                return HeaderHolds(input.Request!);
            case Attribute.Claim:
                return input.Jwt is { } jwt
                    && (_values.IsEmpty || jwt.ClaimMatches(_claimPath, _values))
                    && (_notValues.IsEmpty || !jwt.ClaimMatches(_claimPath, _notValues));
            case Attribute.RequestAudiences:
                return input.Jwt is { } audienceJwt
                    && (_values.IsEmpty || audienceJwt.AudienceMatches(_values))
                    && (_notValues.IsEmpty || !audienceJwt.AudienceMatches(_notValues));
            case Attribute.RequestPresenter:
                return input.Jwt is { } presenterJwt
                    && (_values.IsEmpty || presenterJwt.PresenterMatches(_values))
                    && (_notValues.IsEmpty || !presenterJwt.PresenterMatches(_notValues));
            default:
                var value = Value(input);
                return _values.Allows(value) && _notValues.Excludes(value);
        }
    }

    private string? Value(in AuthorizationInput input) => _attribute switch
    {
        Attribute.SourceNamespace => input.PeerNamespace,
        Attribute.SourcePrincipal => input.PeerPrincipal,
        Attribute.RequestPrincipal => input.Jwt?.Principal,
        Attribute.ServerName => input.ServerName,
        _ => null,
    };

    private bool HeaderHolds(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(_name, out var values))
        {
            return _values.IsEmpty;
        }

        var matched = _values.IsEmpty;
        foreach (var value in values)
        {
            if (_notValues.MatchesAny(value))
            {
                return false;
            }

            matched |= _values.MatchesAny(value);
        }

        return matched;
    }

    private static bool TryMapKey(string key, string map, out string name)
    {
        if (key.Length > map.Length + 2 && key.StartsWith(map, StringComparison.Ordinal) && key[map.Length] == '[' && key[^1] == ']')
        {
            name = key[(map.Length + 1)..^1];
            return true;
        }

        name = "";
        return false;
    }
}

/// <summary>Ports as numbers: an empty set is no condition.</summary>
internal readonly struct PortSet
{
    private readonly int[] _ports;

    private PortSet(int[] ports) => _ports = ports;

    public static PortSet Parse(IReadOnlyList<string> values)
    {
        var ports = new int[values.Count];
        for (var i = 0; i < ports.Length; i++)
        {
            ports[i] = int.Parse(values[i], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return new PortSet(ports);
    }

    public bool Allows(int port) => _ports is null || _ports.Length == 0 || Array.IndexOf(_ports, port) >= 0;

    public bool Excludes(int port) => _ports is null || _ports.Length == 0 || Array.IndexOf(_ports, port) < 0;
}

/// <summary>Addresses and CIDR blocks: an empty set is no condition; an unknown address matches none.</summary>
internal readonly struct IpBlockSet
{
    private readonly IPNetwork[] _blocks;

    private IpBlockSet(IPNetwork[] blocks) => _blocks = blocks;

    public static IpBlockSet Parse(IReadOnlyList<string> values)
    {
        var blocks = new IPNetwork[values.Count];
        for (var i = 0; i < blocks.Length; i++)
        {
            var value = values[i];
            blocks[i] = IPAddress.TryParse(value, out var address)
                ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
                : IPNetwork.Parse(value);
        }

        return new IpBlockSet(blocks);
    }

    private bool IsEmpty => _blocks is null || _blocks.Length == 0;

    private bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var block in _blocks)
        {
            if (block.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    public bool Allows(IPAddress? address) => IsEmpty || Contains(address);

    public bool Excludes(IPAddress? address) => IsEmpty || !Contains(address);
}
