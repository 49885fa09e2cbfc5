using Heddle.Config.Model;

namespace Heddle.Config;

/// <summary>Which workloads one of Istio's security or telemetry policies applies to: a policy in the root namespace
/// applies to the whole mesh, one elsewhere to its own namespace; a selector narrows it to the workloads whose labels
/// it names.</summary>
public static class PolicyScope
{
    /// <summary>Istio's default root namespace.</summary>
    public const string RootNamespace = "istio-system";

    public static bool Applies(ObjectMeta policy, WorkloadMatchSelector? selector, string workloadNamespace, IReadOnlyDictionary<string, string> workloadLabels) =>
        (policy.Namespace == RootNamespace || policy.Namespace == workloadNamespace)
        && (selector is null || selector.MatchLabels.IsEmpty || LabelSelectors.Matches(selector.MatchLabels, workloadLabels));
}
