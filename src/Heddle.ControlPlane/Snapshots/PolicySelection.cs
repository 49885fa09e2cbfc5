using System.Collections.Immutable;
using Heddle.Config.Model;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Which of Istio's security policies apply to a workload: a policy in the root namespace applies to the
/// whole mesh, one elsewhere to its own namespace; a selector narrows it to the workloads whose labels it names.</summary>
internal static class PolicySelection
{
    /// <summary>Istio's default root namespace: policies there apply to every workload.</summary>
    public const string RootNamespace = "istio-system";

    public static bool Applies(ObjectMeta metadata, WorkloadMatchSelector? selector, ProxyContext proxy)
    {
        var @namespace = metadata.Namespace;
        if (@namespace != RootNamespace && @namespace != proxy.Namespace)
        {
            return false;
        }

        return selector is null || Labels.Match(selector.MatchLabels, proxy.Labels);
    }
}
