using Heddle.Config.Model;

namespace Heddle.Config.Analysis;

/// <summary>
/// A subset whose labels match none of its service's workloads (often a typo such as <c>version: V1</c>) sends its
/// traffic nowhere. Only checked for Services whose selector matches some workload, so one mistake gives one warning.
/// </summary>
internal sealed class SubsetSelectorCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        foreach (var rule in context.Config.DestinationRules)
        {
            if (context.Catalog.Resolve(rule.Spec.Host, rule.Metadata.Namespace) is not { Definition: KubernetesService service })
            {
                continue;
            }
            var serviceWorkloads = context.Catalog.WorkloadsSelectedBy(service.Spec.Selector, service.Metadata.Namespace).ToList();
            if (service.Spec.Selector.IsEmpty || serviceWorkloads.Count == 0)
            {
                continue;
            }
            for (int i = 0; i < rule.Spec.Subsets.Length; i++)
            {
                var subset = rule.Spec.Subsets[i];
                if (!serviceWorkloads.Any(w => LabelSelectors.Matches(subset.Labels, LabelsOf(w))))
                {
                    context.Warning(rule, $"spec.subsets[{i}].labels",
                        $"subset \"{subset.Name}\" ({LabelSelectors.Format(subset.Labels)}) matches none of the workloads of {service.Hostname}");
                }
            }
        }
    }

    private static IReadOnlyDictionary<string, string> LabelsOf(Resource workload) => workload switch
    {
        LocalWorkload local => local.Labels,
        WorkloadEntry entry => entry.Spec.Labels,
        _ => ImmutableSortedDictionary<string, string>.Empty,
    };
}
