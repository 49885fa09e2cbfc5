using System.Net;
using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>An AuthorizationPolicy's values can be matched: ports are numbers, IP blocks parse, patterns use <c>*</c>
/// only at one end, condition keys are attributes Istio knows, and only a CUSTOM policy names a provider.</summary>
internal sealed class AuthorizationPolicyRule : ResourceRule<AuthorizationPolicy>
{
    private static readonly string[] PlainKeys =
    [
        "source.ip", "remote.ip", "source.namespace", "source.principal", "source.serviceAccount",
        "request.auth.principal", "request.auth.audiences", "request.auth.presenter",
        "destination.ip", "destination.port", "connection.sni",
    ];

    private static readonly string[] MapKeys = ["request.headers", "request.auth.claims"];

    protected override void Check(AuthorizationPolicy resource, RuleContext context)
    {
        var spec = resource.Spec;
        var action = spec.Action ?? AuthorizationAction.Allow;
        if (action == AuthorizationAction.Custom && string.IsNullOrEmpty(spec.Provider?.Name))
        {
            context.Error(resource, "spec.provider.name", "a CUSTOM policy must name its provider");
        }
        else if (action != AuthorizationAction.Custom && spec.Provider is not null)
        {
            context.Error(resource, "spec.provider", $"only a CUSTOM policy has a provider, this one is {action.ToString().ToUpperInvariant()}");
        }

        if (spec.Selector is not null && (spec.TargetRef is not null || !spec.TargetRefs.IsEmpty))
        {
            context.Error(resource, "spec.selector", "selector and targetRef(s) cannot both be set");
        }

        for (var r = 0; r < spec.Rules.Length; r++)
        {
            var rule = spec.Rules[r];
            var path = FieldPath.Index("spec.rules", r);
            for (var f = 0; f < rule.From.Length; f++)
            {
                CheckSource(resource, context, FieldPath.Field(FieldPath.Index(FieldPath.Field(path, "from"), f), "source"), rule.From[f].Source);
            }

            for (var t = 0; t < rule.To.Length; t++)
            {
                CheckOperation(resource, context, FieldPath.Field(FieldPath.Index(FieldPath.Field(path, "to"), t), "operation"), rule.To[t].Operation);
            }

            for (var w = 0; w < rule.When.Length; w++)
            {
                CheckCondition(resource, context, FieldPath.Index(FieldPath.Field(path, "when"), w), rule.When[w]);
            }
        }
    }

    private static void CheckSource(AuthorizationPolicy resource, RuleContext context, string path, AuthorizationSource? source)
    {
        if (source is null)
        {
            context.Error(resource, path, "required field is missing");
            return;
        }

        Patterns(resource, context, path, "principals", source.Principals);
        Patterns(resource, context, path, "notPrincipals", source.NotPrincipals);
        Patterns(resource, context, path, "requestPrincipals", source.RequestPrincipals);
        Patterns(resource, context, path, "notRequestPrincipals", source.NotRequestPrincipals);
        Patterns(resource, context, path, "namespaces", source.Namespaces);
        Patterns(resource, context, path, "notNamespaces", source.NotNamespaces);
        ServiceAccounts(resource, context, path, "serviceAccounts", source.ServiceAccounts);
        ServiceAccounts(resource, context, path, "notServiceAccounts", source.NotServiceAccounts);
        IpBlocks(resource, context, path, "ipBlocks", source.IpBlocks);
        IpBlocks(resource, context, path, "notIpBlocks", source.NotIpBlocks);
        IpBlocks(resource, context, path, "remoteIpBlocks", source.RemoteIpBlocks);
        IpBlocks(resource, context, path, "notRemoteIpBlocks", source.NotRemoteIpBlocks);
        if (!source.ServiceAccounts.IsEmpty && !source.Principals.IsEmpty)
        {
            context.Error(resource, FieldPath.Field(path, "serviceAccounts"), "serviceAccounts and principals cannot both be set");
        }
    }

    private static void CheckOperation(AuthorizationPolicy resource, RuleContext context, string path, AuthorizationOperation? operation)
    {
        if (operation is null)
        {
            context.Error(resource, path, "required field is missing");
            return;
        }

        Patterns(resource, context, path, "hosts", operation.Hosts);
        Patterns(resource, context, path, "notHosts", operation.NotHosts);
        Ports(resource, context, path, "ports", operation.Ports);
        Ports(resource, context, path, "notPorts", operation.NotPorts);
        Patterns(resource, context, path, "methods", operation.Methods);
        Patterns(resource, context, path, "notMethods", operation.NotMethods);
        Paths(resource, context, path, "paths", operation.Paths);
        Paths(resource, context, path, "notPaths", operation.NotPaths);
    }

    private static void CheckCondition(AuthorizationPolicy resource, RuleContext context, string path, AuthorizationCondition condition)
    {
        var key = condition.Key ?? "";
        if (!IsKnownKey(key))
        {
            context.Error(resource, FieldPath.Field(path, "key"), $"unknown attribute \"{key}\"; expected one of {string.Join(", ", PlainKeys)}, request.headers[NAME], request.auth.claims[NAME]");
            return;
        }

        if (condition.Values.IsEmpty && condition.NotValues.IsEmpty)
        {
            context.Error(resource, path, "a condition needs values or notValues");
        }

        if (key is "source.ip" or "remote.ip" or "destination.ip")
        {
            IpBlocks(resource, context, path, "values", condition.Values);
            IpBlocks(resource, context, path, "notValues", condition.NotValues);
        }
        else if (key == "destination.port")
        {
            Ports(resource, context, path, "values", condition.Values);
            Ports(resource, context, path, "notValues", condition.NotValues);
        }
        else
        {
            Patterns(resource, context, path, "values", condition.Values);
            Patterns(resource, context, path, "notValues", condition.NotValues);
        }
    }

    /// <summary>Whether <paramref name="key"/> names an attribute: a plain one, or <c>map[name]</c> with a name.</summary>
    internal static bool IsKnownKey(string key)
    {
        if (Array.IndexOf(PlainKeys, key) >= 0)
        {
            return true;
        }

        var open = key.IndexOf('[', StringComparison.Ordinal);
        return open > 0
            && key.EndsWith(']')
            && key.Length > open + 2
            && Array.IndexOf(MapKeys, key[..open]) >= 0;
    }

    private static void Patterns(AuthorizationPolicy resource, RuleContext context, string parent, string field, ImmutableArray<string> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            var star = value.IndexOf('*', StringComparison.Ordinal);
            if (value.Length == 0)
            {
                context.Error(resource, FieldPath.Index(FieldPath.Field(parent, field), i), "empty value");
            }
            else if (star >= 0 && value.Length > 1 && star != 0 && star != value.Length - 1 || value.Count(c => c == '*') > 1)
            {
                context.Error(resource, FieldPath.Index(FieldPath.Field(parent, field), i), $"\"{value}\": '*' may only stand alone, or at the start or the end");
            }
        }
    }

    private static void Paths(AuthorizationPolicy resource, RuleContext context, string parent, string field, ImmutableArray<string> values)
    {
        Patterns(resource, context, parent, field, values);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].Length > 0 && values[i][0] != '/' && values[i][0] != '*')
            {
                context.Error(resource, FieldPath.Index(FieldPath.Field(parent, field), i), $"\"{values[i]}\": a path starts with '/' (or '*')");
            }
        }
    }

    private static void Ports(AuthorizationPolicy resource, RuleContext context, string parent, string field, ImmutableArray<string> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!int.TryParse(values[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                context.Error(resource, FieldPath.Index(FieldPath.Field(parent, field), i), $"\"{values[i]}\" is not a port number (1-65535)");
            }
        }
    }

    private static void ServiceAccounts(AuthorizationPolicy resource, RuleContext context, string parent, string field, ImmutableArray<string> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var parts = values[i].Split('/');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0 || values[i].Contains('*', StringComparison.Ordinal))
            {
                context.Error(resource, FieldPath.Index(FieldPath.Field(parent, field), i), $"\"{values[i]}\" is not NAMESPACE/NAME");
            }
        }
    }

    private static void IpBlocks(AuthorizationPolicy resource, RuleContext context, string parent, string field, ImmutableArray<string> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!IPAddress.TryParse(values[i], out _) && !IPNetwork.TryParse(values[i], out _))
            {
                context.Error(resource, FieldPath.Index(FieldPath.Field(parent, field), i), $"\"{values[i]}\" is not an IP address or CIDR block");
            }
        }
    }
}
