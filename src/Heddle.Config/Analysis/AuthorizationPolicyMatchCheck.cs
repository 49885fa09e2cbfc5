using System.Globalization;
using Heddle.Config.Model;

namespace Heddle.Config.Analysis;

/// <summary>
/// AuthorizationPolicy rules that can never match the workloads they select: peer identities (principals,
/// namespaces) where every selected workload's PeerAuthentication is DISABLE (no mutual TLS, so no identity);
/// request principals or <c>request.auth.*</c> conditions where no RequestAuthentication selects the workloads (no
/// token is ever validated); HTTP-only fields where every selected port carries TCP (Istio ignores them: an ALLOW
/// rule never matches, a DENY rule denies without them). A CUSTOM policy whose provider the mesh config does not
/// define is flagged too.
/// </summary>
internal sealed class AuthorizationPolicyMatchCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        foreach (var policy in context.Config.AuthorizationPolicies)
        {
            var spec = policy.Spec;
            if (spec.TargetRef is not null || !spec.TargetRefs.IsEmpty)
            {
                continue;
            }

            if (spec.Action == AuthorizationAction.Custom && spec.Provider?.Name is { Length: > 0 } provider && !HasProvider(context.Config, provider))
            {
                context.Warning(policy, "spec.provider.name",
                    $"no extension provider \"{provider}\" in the mesh config (MeshConfig spec.extensionProviders); every request this policy matches is denied");
            }

            var workloads = SelectedWorkloads(context.Config, policy);
            if (workloads.Count == 0)
            {
                continue;
            }

            var withoutMtls = workloads.TrueForAll(w => PeerAuthenticationPolicy.For(context.Config.PeerAuthentications, w.Metadata.Namespace, w.Labels).WorkloadMode == PeerAuthenticationMode.Disable);
            var withoutJwt = workloads.TrueForAll(w => !HasRequestAuthentication(context.Config, w));
            for (var r = 0; r < spec.Rules.Length; r++)
            {
                var rule = spec.Rules[r];
                CheckSources(context, policy, rule, r, withoutMtls, withoutJwt);
                CheckHttpOnlyOnTcp(context, policy, rule, r, workloads);
            }
        }
    }

    private static void CheckSources(AnalysisContext context, AuthorizationPolicy policy, AuthorizationRule rule, int r, bool withoutMtls, bool withoutJwt)
    {
        for (var f = 0; f < rule.From.Length; f++)
        {
            if (rule.From[f].Source is not { } source)
            {
                continue;
            }

            var path = $"spec.rules[{r}].from[{f}].source.";
            if (withoutMtls)
            {
                if (!source.Principals.IsEmpty)
                {
                    context.Warning(policy, path + "principals", "never matches: the selected workloads' PeerAuthentication is DISABLE, so callers carry no mutual-TLS identity");
                }

                if (!source.Namespaces.IsEmpty)
                {
                    context.Warning(policy, path + "namespaces", "never matches: the selected workloads' PeerAuthentication is DISABLE, so callers carry no mutual-TLS identity");
                }
            }

            if (withoutJwt && !source.RequestPrincipals.IsEmpty)
            {
                context.Warning(policy, path + "requestPrincipals", "never matches: no RequestAuthentication selects the selected workloads, so no request carries a validated token");
            }
        }

        for (var w = 0; w < rule.When.Length; w++)
        {
            var key = rule.When[w].Key ?? "";
            if (withoutJwt && key.StartsWith("request.auth.", StringComparison.Ordinal) && !rule.When[w].Values.IsEmpty)
            {
                context.Warning(policy, $"spec.rules[{r}].when[{w}].key", $"never matches: no RequestAuthentication selects the selected workloads, so {key} is never set");
            }
        }
    }

    private static void CheckHttpOnlyOnTcp(AnalysisContext context, AuthorizationPolicy policy, AuthorizationRule rule, int r, List<LocalWorkload> workloads)
    {
        var fields = new List<string>();
        for (var t = 0; t < rule.To.Length; t++)
        {
            if (rule.To[t].Operation is not { } operation || !AllTcp(context.Config, workloads, operation.Ports))
            {
                continue;
            }

            var path = $"spec.rules[{r}].to[{t}].operation.";
            AddIf(fields, path + "hosts", !operation.Hosts.IsEmpty);
            AddIf(fields, path + "notHosts", !operation.NotHosts.IsEmpty);
            AddIf(fields, path + "methods", !operation.Methods.IsEmpty);
            AddIf(fields, path + "notMethods", !operation.NotMethods.IsEmpty);
            AddIf(fields, path + "paths", !operation.Paths.IsEmpty);
            AddIf(fields, path + "notPaths", !operation.NotPaths.IsEmpty);
        }

        if (AllTcp(context.Config, workloads, []))
        {
            for (var f = 0; f < rule.From.Length; f++)
            {
                var source = rule.From[f].Source;
                AddIf(fields, $"spec.rules[{r}].from[{f}].source.requestPrincipals", source is not null && !source.RequestPrincipals.IsEmpty);
                AddIf(fields, $"spec.rules[{r}].from[{f}].source.notRequestPrincipals", source is not null && !source.NotRequestPrincipals.IsEmpty);
            }

            for (var w = 0; w < rule.When.Length; w++)
            {
                var key = rule.When[w].Key ?? "";
                AddIf(fields, $"spec.rules[{r}].when[{w}].key", key.StartsWith("request.", StringComparison.Ordinal) || key.StartsWith("experimental.envoy.filters.", StringComparison.Ordinal));
            }
        }

        foreach (var field in fields)
        {
            context.Warning(policy, field, policy.Spec.Action == AuthorizationAction.Deny
                ? "an HTTP-only field on TCP-only ports: it is ignored for TCP, so this DENY rule refuses every connection the rest of the rule matches"
                : "an HTTP-only field on TCP-only ports: this rule never matches TCP traffic");
        }
    }

    private static void AddIf(List<string> fields, string field, bool condition)
    {
        if (condition)
        {
            fields.Add(field);
        }
    }

    private static bool HasProvider(ConfigSet config, string name)
    {
        foreach (var mesh in config.MeshConfigs)
        {
            foreach (var provider in mesh.Spec.ExtensionProviders)
            {
                if (provider.Name == name)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static List<LocalWorkload> SelectedWorkloads(ConfigSet config, AuthorizationPolicy policy)
    {
        var selected = new List<LocalWorkload>();
        foreach (var workload in config.LocalWorkloads)
        {
            if (PolicyScope.Applies(policy.Metadata, policy.Spec.Selector, workload.Metadata.Namespace, workload.Labels))
            {
                selected.Add(workload);
            }
        }

        return selected;
    }

    private static bool HasRequestAuthentication(ConfigSet config, LocalWorkload workload)
    {
        foreach (var authentication in config.RequestAuthentications)
        {
            if (PolicyScope.Applies(authentication.Metadata, authentication.Spec.Selector, workload.Metadata.Namespace, workload.Labels))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether every port of the workloads (only the listed ones, when some are) carries TCP: a Service
    /// port that targets it names a non-HTTP protocol (tcp*, tls, https, mongo, mysql, redis, udp).</summary>
    private static bool AllTcp(ConfigSet config, List<LocalWorkload> workloads, ImmutableArray<string> ports)
    {
        var any = false;
        foreach (var workload in workloads)
        {
            foreach (var port in workload.Spec.Ports)
            {
                if (!ports.IsEmpty && !ports.Contains(port.ContainerPort.ToString(CultureInfo.InvariantCulture)))
                {
                    continue;
                }

                var protocol = ProtocolOf(config, workload, port);
                if (protocol is null)
                {
                    continue;
                }

                if (!IsTcp(protocol))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }

    /// <summary>The protocol Services give a workload port (appProtocol, else the port name); null when no Service
    /// targets it.</summary>
    private static string? ProtocolOf(ConfigSet config, LocalWorkload workload, WorkloadPort port)
    {
        foreach (var service in config.Services)
        {
            if (service.Metadata.Namespace != workload.Metadata.Namespace || service.Spec.Selector.IsEmpty
                || !LabelSelectors.Matches(service.Spec.Selector, workload.Labels))
            {
                continue;
            }

            foreach (var servicePort in service.Spec.Ports)
            {
                var targets = servicePort.TargetPortNumber == port.ContainerPort
                    || (servicePort.TargetPort is { IsNumber: false } named && named.Name == port.Name);
                if (targets)
                {
                    return string.IsNullOrEmpty(servicePort.AppProtocol) ? servicePort.Name ?? "" : servicePort.AppProtocol;
                }
            }
        }

        return null;
    }

    private static bool IsTcp(string protocol)
    {
        var value = protocol.ToLowerInvariant();
        var prefix = value.Split('-', 2)[0];
        return value.StartsWith("tcp", StringComparison.Ordinal) || prefix is "https" or "tls" or "mongo" or "mysql" or "redis" or "udp";
    }
}
