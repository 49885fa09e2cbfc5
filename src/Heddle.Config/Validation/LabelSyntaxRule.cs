using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>Label keys and values (metadata, selectors, subsets, workload entries) follow Kubernetes label syntax.</summary>
internal sealed class LabelSyntaxRule : IResourceRule
{
    public void Check(Resource resource, RuleContext context)
    {
        CheckLabels(resource, "metadata.labels", resource.Metadata.Labels, context);
        switch (resource)
        {
            case KubernetesService service:
                CheckLabels(resource, "spec.selector", service.Spec.Selector, context);
                break;
            case DestinationRule rule:
                for (int i = 0; i < rule.Spec.Subsets.Length; i++)
                {
                    CheckLabels(resource, $"spec.subsets[{i}].labels", rule.Spec.Subsets[i].Labels, context);
                }
                break;
            case WorkloadEntry entry:
                CheckLabels(resource, "spec.labels", entry.Spec.Labels, context);
                break;
            case ServiceEntry entry:
                for (int i = 0; i < entry.Spec.Endpoints.Length; i++)
                {
                    CheckLabels(resource, $"spec.endpoints[{i}].labels", entry.Spec.Endpoints[i].Labels, context);
                }
                break;
        }
    }

    private static void CheckLabels(Resource resource, string path, ImmutableSortedDictionary<string, string> labels, RuleContext context)
    {
        foreach (var (key, value) in labels)
        {
            string entryPath = FieldPath.Key(path, key);
            if (!Names.IsLabelKey(key))
            {
                context.Error(resource, entryPath, $"invalid label key \"{key}\": expected an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            }
            else if (!Names.IsLabelValue(value))
            {
                context.Error(resource, entryPath, $"invalid label value \"{value}\": expected at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
            }
        }
    }
}
