using Heddle.Config;
using Heddle.Config.Model;
using Heddle.Discovery.V1;
using ConfigPolicy = Heddle.Config.Model.AuthorizationPolicy;
using WirePolicy = Heddle.Discovery.V1.AuthorizationPolicy;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The AuthorizationPolicies that apply to a proxy's workload, translated for the proxy; null when none do.</summary>
internal static class AuthorizationBuilder
{
    public static AuthorizationPolicies? For(ProxyContext proxy, EndpointCatalog catalog)
    {
        var config = catalog.Config;
        AuthorizationPolicies? result = null;
        foreach (var policy in config.AuthorizationPolicies)
        {
            var spec = policy.Spec;
            // Policies attached through targetRef(s) bind to gateways and waypoints, never to a sidecar.
            if (spec.TargetRef is not null || !spec.TargetRefs.IsEmpty || !PolicyScope.Applies(policy.Metadata, spec.Selector, proxy.Namespace, proxy.Labels))
            {
                continue;
            }

            result ??= new AuthorizationPolicies();
            result.Policies.Add(Translate(policy, catalog));
        }

        return result;
    }

    private static WirePolicy Translate(ConfigPolicy policy, EndpointCatalog catalog)
    {
        var spec = policy.Spec;
        var wire = new WirePolicy
        {
            Name = policy.Metadata.Namespace + "." + policy.Metadata.Name,
            Action = (spec.Action ?? AuthorizationAction.Allow) switch
            {
                AuthorizationAction.Deny => WirePolicy.Types.Action.Deny,
                AuthorizationAction.Audit => WirePolicy.Types.Action.Audit,
                AuthorizationAction.Custom => WirePolicy.Types.Action.Custom,
                _ => WirePolicy.Types.Action.Allow,
            },
        };
        if (wire.Action == WirePolicy.Types.Action.Custom)
        {
            wire.Provider = AuthorizationProviders.Resolve(spec.Provider?.Name, policy.Metadata.Namespace, catalog);
        }

        foreach (var rule in spec.Rules)
        {
            var wireRule = new Heddle.Discovery.V1.AuthorizationRule();
            foreach (var from in rule.From)
            {
                if (from.Source is { } source)
                {
                    wireRule.From.Add(Translate(source));
                }
            }

            foreach (var to in rule.To)
            {
                if (to.Operation is { } operation)
                {
                    wireRule.To.Add(Translate(operation));
                }
            }

            foreach (var condition in rule.When)
            {
                var wireCondition = new Heddle.Discovery.V1.AuthorizationCondition { Key = condition.Key ?? "" };
                wireCondition.Values.AddRange(condition.Values);
                wireCondition.NotValues.AddRange(condition.NotValues);
                wireRule.When.Add(wireCondition);
            }

            wire.Rules.Add(wireRule);
        }

        return wire;
    }

    private static Heddle.Discovery.V1.AuthorizationSource Translate(Heddle.Config.Model.AuthorizationSource source)
    {
        var wire = new Heddle.Discovery.V1.AuthorizationSource();
        wire.Principals.AddRange(source.Principals);
        wire.NotPrincipals.AddRange(source.NotPrincipals);
        wire.RequestPrincipals.AddRange(source.RequestPrincipals);
        wire.NotRequestPrincipals.AddRange(source.NotRequestPrincipals);
        wire.Namespaces.AddRange(source.Namespaces);
        wire.NotNamespaces.AddRange(source.NotNamespaces);
        wire.IpBlocks.AddRange(source.IpBlocks);
        wire.NotIpBlocks.AddRange(source.NotIpBlocks);
        wire.RemoteIpBlocks.AddRange(source.RemoteIpBlocks);
        wire.NotRemoteIpBlocks.AddRange(source.NotRemoteIpBlocks);
        wire.ServiceAccounts.AddRange(source.ServiceAccounts);
        wire.NotServiceAccounts.AddRange(source.NotServiceAccounts);
        return wire;
    }

    private static Heddle.Discovery.V1.AuthorizationOperation Translate(Heddle.Config.Model.AuthorizationOperation operation)
    {
        var wire = new Heddle.Discovery.V1.AuthorizationOperation();
        wire.Hosts.AddRange(operation.Hosts);
        wire.NotHosts.AddRange(operation.NotHosts);
        wire.Ports.AddRange(operation.Ports);
        wire.NotPorts.AddRange(operation.NotPorts);
        wire.Methods.AddRange(operation.Methods);
        wire.NotMethods.AddRange(operation.NotMethods);
        wire.Paths.AddRange(operation.Paths);
        wire.NotPaths.AddRange(operation.NotPaths);
        return wire;
    }
}
